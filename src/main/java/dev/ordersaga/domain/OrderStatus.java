package dev.ordersaga.domain;

/** The business outcome of an order, as clients see it. */
public enum OrderStatus {
    /** The saga is running. */
    PENDING,
    /** The pivot step succeeded: the order stands and nothing of it is undone. */
    APPROVED,
    /** A step failed or timed out and every done step was compensated. */
    REJECTED,
    /**
     * A step failed and a compensation could not be done in all its attempts: something may still be held. Kept,
     * and retried by {@code POST /api/orders/{orderId}/retry-compensation}.
     */
    COMPENSATION_FAILED
}
