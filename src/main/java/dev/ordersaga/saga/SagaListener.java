package dev.ordersaga.saga;

import java.time.Duration;

/** Told when a saga has begun (its first record is durable) and once when it has ended. */
public interface SagaListener {

    /** The saga has begun in this process: a new order's, or one run again after a restart. */
    default void sagaBegun(String sagaId) {
    }

    /**
     * The saga's completion or its compensation has run, successfully or not.
     *
     * @param took from its beginning in this process to its end
     */
    void sagaEnded(String sagaId, SagaOutcome outcome, Duration took);

    enum SagaOutcome { COMPLETED, COMPENSATED, COMPLETION_FAILED, COMPENSATION_FAILED }
}
