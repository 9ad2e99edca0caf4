package dev.ordersaga.saga;

/**
 * What the routes of a {@link SagaFlow} are built from, found in Camel's registry under {@link #REGISTRY_NAME}: the
 * processors that send a command and await its reply, and where the saga's outcome is recorded.
 */
public record SagaFlowMachinery(SagaCommands commands, SagaDecisions decisions) {

    public static final String REGISTRY_NAME = "saga-flow-machinery";
}
