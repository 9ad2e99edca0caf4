package dev.ordersaga.messaging;

/**
 * Reads the contract's correlation ids, {@code <saga-id>:<step>:<do|undo>}: the saga a command or reply belongs to.
 * The saga id itself may hold no colon (it is an order id, a UUID).
 */
public final class CorrelationIds {

    private CorrelationIds() {
    }

    /** The saga a correlation id belongs to; null if it is not one of ours. */
    public static String sagaIdOf(String correlationId) {
        int end = correlationId == null ? -1 : correlationId.indexOf(':');
        return end > 0 ? correlationId.substring(0, end) : null;
    }
}
