package dev.ordersaga.flow;

import dev.ordersaga.flow.FlowBuilder.CompensableStep;
import dev.ordersaga.flow.FlowBuilder.Invoke;

/** Where steps that run inside the saga, before the pivot, are declared: the flow itself, or a parallel group. */
public abstract class ForwardSteps<B extends ForwardSteps<B>> {

    abstract void add(FlowStep step);

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** A step that is undone by its compensation when the saga fails after it. */
    public CompensableStep<B> step(String stepName) {
        return new CompensableStep<>(self(), stepName);
    }

    /** A step with nothing to undo (a check). */
    public Invoke<B> check(String stepName) {
        return new Invoke<>(self(), stepName, StepKind.CHECK, this::add);
    }
}
