package dev.ordersaga.app;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.flow.FlowCatalog;
import dev.ordersaga.messaging.ReplyCorrelator;
import dev.ordersaga.orders.OrderBook;
import dev.ordersaga.messaging.ReplyInbox;
import dev.ordersaga.participants.ReferenceParticipants;
import dev.ordersaga.saga.OrderSagaService;
import dev.ordersaga.saga.SagaOwnership;

/**
 * Runs the order saga orchestrator on camel-main. {@code --profile=NAME} (or {@code APP_PROFILE}) picks
 * {@code config/application-NAME.properties} on top of {@code config/application.properties}:
 * {@code demo} runs everything in one process with an embedded broker; {@code participants} runs only the reference
 * participants; no profile runs the orchestrator alone against {@code KAFKA_BOOTSTRAP_SERVERS}.
 */
public final class OrderSagaApplication {

    private static final Logger LOG = LoggerFactory.getLogger(OrderSagaApplication.class);

    private final Main main;
    private final ApplicationAssembly assembly = new ApplicationAssembly();

    private OrderSagaApplication(String profile, Map<String, String> overrides) {
        main = new Main(OrderSagaApplication.class);
        if (profile != null && !profile.isBlank()) {
            main.configure().withProfile(profile);
        }
        overrides.forEach(main::addOverrideProperty);
        main.addMainListener(assembly);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport started) {
                StartupBanner.print(started.getCamelContext(), assembly);
            }
        });
    }

    public static OrderSagaApplication create(String profile, Map<String, String> overrides) {
        return new OrderSagaApplication(profile, overrides);
    }

    public static void main(String[] args) throws Exception {
        String profile = System.getenv("APP_PROFILE");
        for (String arg : args) {
            if (arg.startsWith("--profile=")) {
                profile = arg.substring("--profile=".length());
            } else {
                System.err.println("Unknown argument " + arg + "; usage: [--profile=demo|participants]");
                System.exit(2);
            }
        }
        OrderSagaApplication application = create(profile, Map.of());
        int exitCode = 0;
        try {
            application.main.run();
        } catch (Throwable e) {
            LOG.error("The application stopped: {}", e.getMessage(), e);
            exitCode = 1;
        } finally {
            // the embedded broker's threads are not daemons: without this a failed start would hang forever
            application.assembly.closeAll();
        }
        System.exit(exitCode);
    }

    /** Starts without blocking; for tests and tools that run the application inside their own JVM. */
    public OrderSagaApplication start() throws Exception {
        try {
            main.start();
        } catch (Exception e) {
            assembly.closeAll();
            throw e;
        }
        return this;
    }

    /** Stops as a SIGTERM does: the orchestrator hands its sagas over first (see {@link ApplicationAssembly#beforeStop}). */
    public void stop() throws Exception {
        try {
            assembly.beforeStop(main);
            main.stop();
        } finally {
            assembly.closeAll();
        }
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    public String bootstrapServers() {
        return assembly.bootstrapServers();
    }

    public OrderBook orders() {
        return assembly.orchestrator().orders();
    }

    public ReplyCorrelator replyCorrelator() {
        return assembly.orchestrator().correlator();
    }

    public ReplyInbox replyInbox() {
        return assembly.orchestrator().inbox();
    }

    public OrderSagaService sagas() {
        return assembly.orchestrator().sagas();
    }

    public SagaOwnership ownership() {
        return assembly.orchestrator().ownership();
    }

    public ReferenceParticipants participants() {
        return assembly.participants();
    }

    /** The flows the orchestrator knows, every version. */
    public FlowCatalog flows() {
        return assembly.orchestrator().flows();
    }
}
