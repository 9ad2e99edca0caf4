package dev.ordersaga.deploy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Logs, through the application's logging API, the events {@link LogLayoutsTest} reads back: in a JVM of its own,
 * since log4j configures itself once per JVM, from that JVM's environment (as in the pod).
 */
public final class LogSample {

    static final String LOGGER = "dev.ordersaga.saga.OrderSagaCoordinator";
    static final String ORDER_ID = "5f0c7e2a-order";
    static final String CORRELATION_ID = "5f0c7e2a-order:hold-payment:do";
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private LogSample() {
    }

    public static void main(String[] args) {
        Logger saga = LoggerFactory.getLogger(LOGGER);
        MDC.put("order-id", ORDER_ID);
        MDC.put("correlation-id", CORRELATION_ID);
        MDC.put("trace_id", TRACE_ID);
        saga.info("Saga {} compensating: \"hold-payment\" failed", ORDER_ID);
        saga.warn("Step failed", new IllegalStateException("card declined"));
        MDC.clear();
        saga.info("no saga here");
        // below the level log4j2.properties sets for Kafka's clients (warn): not written
        LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").info("Kafka chatter");
    }
}
