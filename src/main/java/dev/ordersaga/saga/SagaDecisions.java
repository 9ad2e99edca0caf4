package dev.ordersaga.saga;

/** Told how a saga's outcome was decided, before the steps that follow the decision run. */
public interface SagaDecisions {

    /** The saga completed: its pivot succeeded (the order is approved). */
    void completed(String sagaId);

    /** The saga was compensated (the order is rejected), for the reason of this code ({@link SagaReasons}). */
    void compensated(String sagaId, String reasonCode);
}
