package dev.ordersaga.messaging;

import org.slf4j.MDC;

/**
 * Puts the order id and the correlation id of a saga's work into the logging MDC (keys {@code order-id} and
 * {@code correlation-id}, as the log pattern in {@code config/log4j2.properties} shows them), where the code that
 * logs about a saga runs: the API's handlers, the participants, reply continuations, compensations and completions,
 * timers. A route's log nodes take them from the exchange headers of the same names ({@code RouteLogMdc}).
 */
public final class SagaMdc implements AutoCloseable {

    private final String previousOrderId;
    private final String previousCorrelationId;

    private SagaMdc(String orderId, String correlationId) {
        previousOrderId = MDC.get(MessageHeaders.ORDER_ID);
        previousCorrelationId = MDC.get(MessageHeaders.CORRELATION_ID);
        put(MessageHeaders.ORDER_ID, orderId);
        put(MessageHeaders.CORRELATION_ID, correlationId);
    }

    /** For work on a whole saga (its id is its order's id). */
    public static SagaMdc forSaga(String sagaId) {
        return new SagaMdc(sagaId, null);
    }

    /** For work whose ids are known apart (a route's exchange headers); a null id is taken out of the MDC. */
    public static SagaMdc of(String orderId, String correlationId) {
        return new SagaMdc(orderId, correlationId);
    }

    /** For work on one command or reply; its correlation id names its saga ({@code <saga>:<step>:<do|undo>}). */
    public static SagaMdc forCommand(String correlationId) {
        return new SagaMdc(CorrelationIds.sagaIdOf(correlationId), correlationId);
    }

    /** Forgets the ids a thread was left with. */
    public static void clear() {
        MDC.remove(MessageHeaders.ORDER_ID);
        MDC.remove(MessageHeaders.CORRELATION_ID);
    }

    @Override
    public void close() {
        put(MessageHeaders.ORDER_ID, previousOrderId);
        put(MessageHeaders.CORRELATION_ID, previousCorrelationId);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
