package dev.ordersaga.flowtest;

import dev.ordersaga.messaging.Reply;

/** How a participant answers a command in a flow's test. */
public record Answer(Reply.Outcome outcome, String reasonCode, String reason, boolean retryable) {

    public static Answer success() {
        return new Answer(Reply.Outcome.SUCCESS, null, null, false);
    }

    /** A business refusal, with the participant's reason code: final. */
    public static Answer failure(String reasonCode, String reason) {
        return new Answer(Reply.Outcome.FAILURE, reasonCode, reason, false);
    }

    /** A transient fault: nothing was applied, the same command may be sent again. */
    public static Answer retryableFailure(String reason) {
        return new Answer(Reply.Outcome.FAILURE, "temporarily-unavailable", reason, true);
    }
}
