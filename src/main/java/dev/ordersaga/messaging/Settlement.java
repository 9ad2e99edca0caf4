package dev.ordersaga.messaging;

import java.time.Duration;

import dev.ordersaga.domain.StepView.StepStatus;
import dev.ordersaga.flow.CommandType;

/**
 * How a command that awaited its reply ended: a reply came, none came in time, it could not be sent, or its saga
 * went to another replica (which sends it again and awaits the reply there).
 */
public record Settlement(Kind kind, Reply reply, String detail) {

    public enum Kind { REPLIED, TIMED_OUT, NOT_SENT, HANDED_OVER }

    static Settlement replied(Reply reply) {
        return new Settlement(Kind.REPLIED, reply, reply.reason());
    }

    static Settlement timedOut(Duration after) {
        return new Settlement(Kind.TIMED_OUT, null, "no reply within " + after.toMillis() + " ms");
    }

    static Settlement notSent(Throwable cause) {
        return new Settlement(Kind.NOT_SENT, null, "not sent: " + cause.getMessage());
    }

    static Settlement handedOver() {
        return new Settlement(Kind.HANDED_OVER, null, "its saga is driven by another replica now");
    }

    public boolean succeeded() {
        return kind == Kind.REPLIED && reply.succeeded();
    }

    /**
     * Whether it is worth sending the same command again: no reply came in time, Kafka refused the send, or the
     * participant answered a retryable FAILURE (it applied nothing). A business FAILURE, or a hand-over, is not.
     */
    public boolean isTransient() {
        return kind == Kind.TIMED_OUT || kind == Kind.NOT_SENT || (kind == Kind.REPLIED && !reply.succeeded()
                && reply.retryable());
    }

    public StepStatus stepStatus() {
        if (succeeded()) {
            return StepStatus.SUCCEEDED;
        }
        return kind == Kind.TIMED_OUT ? StepStatus.TIMED_OUT : StepStatus.FAILED;
    }

    /** Why the step failed, naming the step, e.g. "hold-payment timed out: no reply within 2000 ms". */
    public String failureReason(CommandType command) {
        return switch (kind) {
            case REPLIED -> command.routeName() + " failed: " + detail;
            case TIMED_OUT -> command.routeName() + " timed out: " + detail;
            case NOT_SENT, HANDED_OVER -> command.routeName() + " failed: " + detail;
        };
    }
}
