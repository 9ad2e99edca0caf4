package dev.ordersaga.saga;

/** A saga's partition was taken from this replica: another replica drives the saga now, and nothing more is done here. */
public final class SagaHandedOverException extends IllegalStateException {

    public SagaHandedOverException(String sagaId) {
        super("Saga " + sagaId + " is driven by another replica now");
    }
}
