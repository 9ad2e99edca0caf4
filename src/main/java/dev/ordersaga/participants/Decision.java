package dev.ordersaga.participants;

/** What a participant's business rules decided about one command. */
public record Decision(boolean accepted, String reason, boolean retryable) {

    public static Decision done() {
        return new Decision(true, null, false);
    }

    public static Decision done(String note) {
        return new Decision(true, note, false);
    }

    /** A business refusal: final, and remembered like any answer. */
    public static Decision refused(String reason) {
        return new Decision(false, reason, false);
    }

    /** A transient fault: nothing was applied, nothing is remembered, the same command may be tried again. */
    public static Decision transientFailure(String reason) {
        return new Decision(false, reason, true);
    }
}
