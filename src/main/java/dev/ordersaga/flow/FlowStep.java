package dev.ordersaga.flow;

import java.util.Optional;

/**
 * One step of a flow: its name, its kind, the command that does it and, for a compensable step, the one that undoes
 * it, and how it is sent again after a transient failure.
 */
public record FlowStep(String name, StepKind kind, CommandType command, Optional<CommandType> compensation,
                       StepRetry retry) {

    public FlowStep {
        if (kind == StepKind.COMPENSABLE && compensation.isEmpty()) {
            throw new IllegalArgumentException("Step " + name + " is compensable and needs a compensation");
        }
        if (kind != StepKind.COMPENSABLE && compensation.isPresent()) {
            throw new IllegalArgumentException("Step " + name + " is " + kind + " and cannot have a compensation");
        }
    }
}
