package dev.ordersaga.saga;

/** The options the saga's own step is enlisted with, besides the order id: the flow version it began under. */
public final class SagaOptions {

    public static final String FLOW = "saga-flow";
    public static final String FLOW_VERSION = "saga-flow-version";

    private SagaOptions() {
    }
}
