package dev.ordersaga.participants;

/**
 * What a participant's business rules decided about one command: done (with an optional note), refused for a
 * business reason (a stable code, and the participant's own words), or a transient fault.
 */
public record Decision(boolean accepted, String reasonCode, String reason, boolean retryable) {

    /** The code of every transient fault: nothing applied, try again. */
    public static final String TEMPORARILY_UNAVAILABLE = "temporarily-unavailable";

    private static final Decision DONE = new Decision(true, null, null, false);

    public static Decision done() {
        return DONE;
    }

    public static Decision done(String note) {
        return new Decision(true, null, note, false);
    }

    /** A business refusal: final, and remembered like any answer. */
    public static Decision refused(String reasonCode, String reason) {
        return new Decision(false, reasonCode, reason, false);
    }

    /** A transient fault: nothing was applied, nothing is remembered, the same command may be tried again. */
    public static Decision transientFailure(String reason) {
        return new Decision(false, TEMPORARILY_UNAVAILABLE, reason, true);
    }
}
