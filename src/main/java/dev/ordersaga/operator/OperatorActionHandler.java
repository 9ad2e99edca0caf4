package dev.ordersaga.operator;

/**
 * Carries out one kind of {@link OperatorAction}, on the replica that owns the order's partition, while it owns it.
 * <p>
 * An action may be read more than once: after a restart before its offset was committed, or by the partition's next
 * owner. A handler therefore recognises an action it has carried out already, by its id, and answers
 * {@link Outcome#ALREADY_DONE}: the write that carries an action out durably names it (a retry of a compensation names
 * it in the saga's journal record), so that no crash between carrying it out and committing its offset can make it
 * run twice.
 */
@FunctionalInterface
public interface OperatorActionHandler {

    /** What became of an action. */
    enum Outcome {
        /** Carried out now (a retry started). */
        CARRIED_OUT,
        /** Carried out before: this is a second read of it. */
        ALREADY_DONE,
        /** Nothing to do for it any more (the saga no longer needs it, as when another request retried it first). */
        NOTHING_TO_DO
    }

    Outcome carryOut(OperatorAction action);
}
