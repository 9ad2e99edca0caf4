package dev.ordersaga.flowtest;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.OrderLine;
import dev.ordersaga.flow.FlowCatalog;
import dev.ordersaga.flow.FlowDeclaration;
import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.messaging.ReplyCorrelator;
import dev.ordersaga.orders.OrderBook;
import dev.ordersaga.orders.OrderPlacement;
import dev.ordersaga.orders.RejectionReasons;
import dev.ordersaga.orders.SagaProgress;
import dev.ordersaga.saga.FinalizeRetryPolicy;
import dev.ordersaga.saga.OrderSagaService;
import dev.ordersaga.saga.SagaCommands;
import dev.ordersaga.saga.SagaFlow;
import dev.ordersaga.saga.SagaFlowMachinery;
import dev.ordersaga.saga.SagaListener;
import dev.ordersaga.saga.SagaOwnership;
import dev.ordersaga.saga.SagaTraces;
import dev.ordersaga.testsupport.InMemoryOrderStore;
import dev.ordersaga.testsupport.InMemorySagaJournal;

/**
 * Runs a flow's real routes (the Saga EIP, its steps and compensations, the saga service and the reply correlation
 * of the application) with no broker: commands are recorded instead of sent, the test answers them, and time moves
 * only when the test says. In the spirit of Eventuate Tram's saga unit tests: given these replies, expect these
 * commands, compensations and outcome.
 * <pre>
 * try (SagaFlowTestKit kit = SagaFlowTestKit.of(new OrderSagaV1())) {
 *     kit.start(SagaFlowTestKit.anOrder())
 *         .succeed("CreateOrder")
 *         .expect("ReserveInventory", "HoldPayment")
 *         .reply("ReserveInventory", Answer.success())
 *         .reply("HoldPayment", Answer.failure("card declined"))
 *         .compensatedInAnyOrder("ReleaseInventory", "ReleasePayment")
 *         .succeed("CancelOrder")
 *         .succeed("SendOrderRejection")
 *         .expectRejected("card declined");
 * }
 * </pre>
 * One kit (one Camel context, started in well under a second) serves any number of sagas, each of its own order.
 */
public final class SagaFlowTestKit implements AutoCloseable {

    /** How long the kit waits for the flow's routes to send what a test expects, in real time. */
    static final Duration PATIENCE = Duration.ofSeconds(5);
    /** The pauses before a step is sent again, as the application's defaults have them. */
    static final Duration RETRY_FIRST_DELAY = Duration.ofMillis(500);
    static final Duration RETRY_MAX_DELAY = Duration.ofSeconds(5);
    /** How long nothing may happen for the flow to count as waiting. */
    private static final Duration QUIET = Duration.ofMillis(15);
    private static final Duration SHUTDOWN_GRACE = Duration.ofMillis(200);

    private final FlowCatalog flows;
    private final Duration stepTimeout;
    private final Duration sagaTimeout;
    private final FinalizeRetryPolicy finalizeRetries;
    private final ManualTimer timer = new ManualTimer();
    private final RecordedCommands commands = new RecordedCommands();
    private final Map<String, CompletableFuture<SagaListener.SagaOutcome>> outcomes = new ConcurrentHashMap<>();
    private final ExecutorService continuations = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "flow-test-continuations");
        thread.setDaemon(true);
        return thread;
    });
    private final CamelContext camel;
    private final OrderBook orders;
    private final OrderPlacement placement;
    private final ReplyCorrelator correlator;
    private final InMemorySagaJournal journal = new InMemorySagaJournal();
    private final ProducerTemplate template;

    private SagaFlowTestKit(List<SagaFlow> sagaFlows, Duration stepTimeout, Duration sagaTimeout,
                            FinalizeRetryPolicy finalizeRetries) {
        this.flows = new FlowCatalog(sagaFlows.stream().map(SagaFlow::declaration).toList());
        this.stepTimeout = stepTimeout;
        this.sagaTimeout = sagaTimeout;
        this.finalizeRetries = finalizeRetries;
        SagaOwnership ownership = new SagaOwnership(1);
        ownership.assign(List.of(0));
        ownership.recovered(0);
        InMemoryOrderStore store = new InMemoryOrderStore();
        orders = new OrderBook(10_000, Duration.ofHours(24), store, ownership, Clock.systemUTC());
        orders.follow(orderId -> { });
        placement = new OrderPlacement(orders, store);
        Clock clock = Clock.systemUTC();
        SagaProgress progress = new SagaProgress(orders, store, ownership, clock);
        correlator = new ReplyCorrelator(timer, continuations, 10_000);
        OrderSagaService sagas = new OrderSagaService(MessageHeaders.ORDER_ID, finalizeRetries, journal, ownership,
                continuations, (sagaId, outcome, took) -> {
                    progress.sagaEnded(sagaId, outcome == SagaListener.SagaOutcome.COMPENSATION_FAILED,
                            outcome == SagaListener.SagaOutcome.COMPLETION_FAILED);
                    outcomes.computeIfAbsent(sagaId, id -> new CompletableFuture<>()).complete(outcome);
                }, new RejectionReasons(), SagaTraces.disabled(), clock);
        SagaCommands sagaCommands = new SagaCommands(commands, correlator, ownership, orders::order,
                new SagaCommands.RetryDefaults(stepTimeout, RETRY_FIRST_DELAY, RETRY_MAX_DELAY), sagas::isDriving,
                timer, continuations, progress, SagaTraces.disabled(), clock);
        sagas.useTimer(timer);
        camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.put("saga.timeout", sagaTimeout.toMillis() + "ms");
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.getRegistry().bind(SagaFlowMachinery.REGISTRY_NAME, new SagaFlowMachinery(sagaCommands, progress));
        try {
            camel.addService(sagas);
            for (SagaFlow flow : sagaFlows) {
                camel.addRoutes(flow);
            }
            camel.start();
        } catch (Exception e) {
            throw new IllegalStateException("The flows could not be started: " + e.getMessage(), e);
        }
        template = camel.createProducerTemplate();
    }

    /**
     * A kit for these flows, with the application's default timeouts (a reply within 5 s, the saga's deadline 30 s),
     * the pauses before a step is sent again (500 ms doubling up to 5 s), and the retries of compensations.
     */
    public static SagaFlowTestKit of(SagaFlow... flows) {
        return new Builder(Arrays.asList(flows)).build();
    }

    /** A kit with timeouts or retries of its own. */
    public static Builder with(SagaFlow... flows) {
        return new Builder(Arrays.asList(flows));
    }

    /** Sets a kit's timeouts and retries. */
    public static final class Builder {
        private final List<SagaFlow> flows;
        private Duration stepTimeout = Duration.ofSeconds(5);
        private Duration sagaTimeout = Duration.ofSeconds(30);
        private FinalizeRetryPolicy finalizeRetries = new FinalizeRetryPolicy(10, Duration.ofMillis(200),
                Duration.ofSeconds(5));

        private Builder(List<SagaFlow> flows) {
            this.flows = List.copyOf(flows);
        }

        public Builder stepTimeout(Duration timeout) {
            this.stepTimeout = timeout;
            return this;
        }

        public Builder sagaTimeout(Duration timeout) {
            this.sagaTimeout = timeout;
            return this;
        }

        public Builder finalizeRetries(FinalizeRetryPolicy policy) {
            this.finalizeRetries = policy;
            return this;
        }

        public SagaFlowTestKit build() {
            return new SagaFlowTestKit(flows, stepTimeout, sagaTimeout, finalizeRetries);
        }
    }

    /** An order of one book, with a new id. */
    public static Order anOrder() {
        return new Order(UUID.randomUUID().toString(), "c-1", "ada@example.com", "EUR",
                List.of(new OrderLine("BOOK-42", 2, new BigDecimal("12.50"))), "tok_visa", new BigDecimal("25.00"),
                Instant.now());
    }

    /** Places the order and starts its saga on the newest version of the only flow declared. */
    public SagaScenario start(Order order) {
        List<String> names = flows.declarations().stream().map(d -> d.version().name()).distinct().toList();
        if (names.size() != 1) {
            throw new IllegalStateException("The kit runs flows " + names + ": name the version to start");
        }
        return start(order, flows.newest(names.get(0)).version());
    }

    /** Places the order and starts its saga on the given flow version. */
    public SagaScenario start(Order order, FlowVersion version) {
        if (!flows.knows(version)) {
            throw new IllegalArgumentException("The kit does not run flow " + version);
        }
        placement.place(order, version, null, null, null).join();
        template.asyncSend(SagaFlow.startUri(version), exchange -> {
            exchange.getMessage().setHeader(MessageHeaders.ORDER_ID, order.orderId());
            exchange.getMessage().setBody(order);
        });
        return new SagaScenario(this, flows.declaration(version).orElseThrow(), order.orderId());
    }

    FlowDeclaration declaration(FlowVersion version) {
        return flows.declaration(version).orElseThrow();
    }

    RecordedCommands commands() {
        return commands;
    }

    ReplyCorrelator correlator() {
        return correlator;
    }

    OrderBook orders() {
        return orders;
    }

    InMemorySagaJournal journal() {
        return journal;
    }

    ManualTimer timer() {
        return timer;
    }

    /**
     * Waits until the flow has done all it can without an answer or more time: the continuations it was handed have
     * run, and for a moment nothing new was sent or scheduled. Time is moved on only then, so that a retry the saga
     * schedules when a reply fails is scheduled before the time it waits for passes.
     */
    void awaitQuiet() {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long[] before = activity();
        while (System.nanoTime() < deadline) {
            drainContinuations();
            try {
                Thread.sleep(QUIET.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            drainContinuations();
            long[] now = activity();
            if (java.util.Arrays.equals(before, now)) {
                return;
            }
            before = now;
        }
    }

    private long[] activity() {
        return new long[] {commands.count(), timer.scheduledCount(), outcomes.values().stream().filter(
                CompletableFuture::isDone).count()};
    }

    private void drainContinuations() {
        try {
            continuations.submit(() -> { }).get(PATIENCE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("The flow's continuations did not run: " + e.getMessage(), e);
        }
    }

    Duration stepTimeout() {
        return stepTimeout;
    }

    Duration sagaTimeout() {
        return sagaTimeout;
    }

    FinalizeRetryPolicy finalizeRetries() {
        return finalizeRetries;
    }

    CompletableFuture<SagaListener.SagaOutcome> outcome(String sagaId) {
        return outcomes.computeIfAbsent(sagaId, id -> new CompletableFuture<>());
    }

    @Override
    public void close() {
        try {
            // a saga left waiting on a reply whose time the test never let pass is still in flight: not waited for
            camel.getShutdownStrategy().setTimeUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
            camel.getShutdownStrategy().setTimeout(SHUTDOWN_GRACE.toMillis());
            camel.getShutdownStrategy().setSuppressLoggingOnTimeout(true);
            camel.stop();
        } finally {
            continuations.shutdownNow();
        }
    }
}
