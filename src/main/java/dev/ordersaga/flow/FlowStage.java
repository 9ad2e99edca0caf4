package dev.ordersaga.flow;

import java.util.List;

/**
 * Steps that run together: one step, or a parallel group whose replies are joined before the saga goes on (if any of
 * them fails, the saga compensates every step done, whichever finished first).
 */
public record FlowStage(String name, List<FlowStep> steps) {

    public FlowStage {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("Stage " + name + " has no step");
        }
    }

    public boolean isParallel() {
        return steps.size() > 1;
    }
}
