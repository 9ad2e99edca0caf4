package dev.ordersaga.saga;

/** Told once when a saga has ended: its completion or its compensation has run, successfully or not. */
@FunctionalInterface
public interface SagaEndListener {

    void sagaEnded(String sagaId, SagaOutcome outcome);

    enum SagaOutcome { COMPLETED, COMPENSATED, COMPLETION_FAILED, COMPENSATION_FAILED }
}
