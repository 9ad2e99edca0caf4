package dev.ordersaga.flowtest;

import dev.ordersaga.messaging.Reply;

/** How a participant answers a command in a flow's test. */
public record Answer(Reply.Outcome outcome, String reason, boolean retryable) {

    public static Answer success() {
        return new Answer(Reply.Outcome.SUCCESS, null, false);
    }

    /** A business refusal: final. */
    public static Answer failure(String reason) {
        return new Answer(Reply.Outcome.FAILURE, reason, false);
    }

    /** A transient fault: nothing was applied, the same command may be sent again. */
    public static Answer retryableFailure(String reason) {
        return new Answer(Reply.Outcome.FAILURE, reason, true);
    }
}
