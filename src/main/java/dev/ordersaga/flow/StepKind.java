package dev.ordersaga.flow;

/** What a step is to the saga: whether it can be undone, and when it runs. */
public enum StepKind {
    /** Done before the pivot, and undone by its compensation if the saga fails later. */
    COMPENSABLE,
    /** Done before the pivot, with nothing to undo (a check: it changes nothing a failure would have to revert). */
    CHECK,
    /** The point of no return: once it succeeds the saga completes, and nothing before it is undone. */
    PIVOT,
    /** Runs once the saga has completed; retried until it succeeds, never undone (an email cannot be unsent). */
    AFTER_PIVOT,
    /** Runs once the saga has been compensated; retried, never undone (the rejection email). */
    ON_REJECTION;

    /** Whether the step runs inside the saga, before its outcome is decided. */
    public boolean isForward() {
        return this == COMPENSABLE || this == CHECK || this == PIVOT;
    }
}
