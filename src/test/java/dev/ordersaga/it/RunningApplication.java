package dev.ordersaga.it;

import java.util.Map;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.ordersaga.app.OrderSagaApplication;
import dev.ordersaga.testsupport.FreePort;
import dev.ordersaga.testsupport.InMemorySpans;

/**
 * Starts the whole application once for all integration tests: the real in-process KRaft broker, the orchestrator,
 * the four reference participants and the HTTP API on a free port; stops it when the test run ends. Its spans are
 * exported to {@link InMemorySpans}. Test-only stock
 * (SKUs named after their test) sits beside the demo data, so tests never compete for the same stock.
 */
public final class RunningApplication implements BeforeAllCallback {

    /** Stock a test may consume on its own: SKU:available:unitPrice. */
    static final String TEST_STOCK = "BOOK-42:100:12.50,MUG-7:20:8.00,LAMP-3:0:30.00,"
            + "HAPPY-1:50:12.50,REJECT-1:50:10.00,RACE-20:20:5.00,SILENT-1:10:4.00,DUP-1:10:3.00,FLAKY-1:10:2.00,"
            + "WAIT-1:30:1.00,TRACE-1:20:3.00";

    private static OrderSagaApplication application;
    private static ApiClient api;
    private static int managementPort;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (RunningApplication.class) {
            if (application == null) {
                int port = FreePort.next();
                managementPort = FreePort.next();
                application = OrderSagaApplication.create("demo", Map.ofEntries(
                        Map.entry("api.port", Integer.toString(port)),
                        Map.entry("management.port", Integer.toString(managementPort)),
                        Map.entry("participants.inventory.stock", TEST_STOCK),
                        Map.entry("saga.step-timeout", "2s"),
                        Map.entry("saga.timeout", "20s"),
                        Map.entry("saga.finalize.first-delay", "100ms"),
                        Map.entry("saga.finalize.max-delay", "500ms"),
                        Map.entry("saga.finalize.max-attempts", "3"),
                        Map.entry("topics.partitions", "4"),
                        // the application's real OpenTelemetry set-up, exporting to the tests' memory at once
                        Map.entry("otel.traces.exporter", InMemorySpans.EXPORTER),
                        Map.entry("otel.bsp.schedule.delay", "50"))).start();
                api = new ApiClient("http://127.0.0.1:" + port);
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                        .put(RunningApplication.class.getName(), (ExtensionContext.Store.CloseableResource) () -> {
                            application.stop();
                        });
            }
        }
    }

    static OrderSagaApplication application() {
        return application;
    }

    /** The management port: health, metrics, Jolokia. */
    static String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    static ApiClient api() {
        return api;
    }

}
