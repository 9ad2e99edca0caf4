package dev.ordersaga.saga;

/**
 * The options a saga's steps are enlisted with, besides the order id: the flow version the saga began under (on its
 * own step), and the parallel group a step runs in.
 */
public final class SagaOptions {

    public static final String FLOW = "saga-flow";
    public static final String FLOW_VERSION = "saga-flow-version";
    /**
     * On each step of a parallel group: the group ({@link ParallelGroup}). Its steps' enlistments are journalled as
     * one record once every step of the group has begun, instead of one record each. Not journalled itself.
     */
    public static final String PARALLEL_GROUP = "saga-parallel-group";

    /** A parallel group of a flow: its name, unique in the flow, and how many steps begin together in it. */
    public record ParallelGroup(String name, int steps) {
    }

    private SagaOptions() {
    }
}
