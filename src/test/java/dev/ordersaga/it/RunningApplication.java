package dev.ordersaga.it;

import java.util.Map;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.ordersaga.app.OrderSagaApplication;
import dev.ordersaga.testsupport.FreePort;

/**
 * Starts the whole application once for all integration tests: the real in-process KRaft broker, the orchestrator,
 * the four reference participants and the HTTP API on a free port; stops it when the test run ends. Test-only stock
 * (SKUs named after their test) sits beside the demo data, so tests never compete for the same stock.
 */
public final class RunningApplication implements BeforeAllCallback {

    /** Stock a test may consume on its own: SKU:available:unitPrice. */
    static final String TEST_STOCK = "BOOK-42:100:12.50,MUG-7:20:8.00,LAMP-3:0:30.00,"
            + "HAPPY-1:50:12.50,REJECT-1:50:10.00,RACE-20:20:5.00,SILENT-1:10:4.00,DUP-1:10:3.00,FLAKY-1:10:2.00,"
            + "WAIT-1:30:1.00";

    private static OrderSagaApplication application;
    private static ApiClient api;
    private static int managementPort;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (RunningApplication.class) {
            if (application == null) {
                int port = FreePort.next();
                managementPort = FreePort.next();
                application = OrderSagaApplication.create("demo", Map.of(
                        "api.port", Integer.toString(port),
                        "management.port", Integer.toString(managementPort),
                        "participants.inventory.stock", TEST_STOCK,
                        "saga.step-timeout", "2s",
                        "saga.timeout", "20s",
                        "saga.finalize.first-delay", "100ms",
                        "saga.finalize.max-delay", "500ms",
                        "saga.finalize.max-attempts", "3",
                        "topics.partitions", "4")).start();
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
