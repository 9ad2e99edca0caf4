package dev.ordersaga.orders;

import dev.ordersaga.domain.RejectionReason;
import dev.ordersaga.messaging.Settlement;
import dev.ordersaga.messaging.StepFailedException;
import dev.ordersaga.saga.SagaReasons;

/**
 * The reason a rejected order keeps, from what failed its saga: a participant's refusal gives the business reason its
 * code stands for; a saga that ran out of time, {@code not-completed-in-time}; anything else,
 * {@code could-not-be-completed}. Never the failure's own text, which is technical: that is logged, and shown as the
 * step's detail.
 */
public final class RejectionReasons implements SagaReasons {

    @Override
    public String failed(Throwable cause) {
        if (cause instanceof StepFailedException failed) {
            Settlement settlement = failed.settlement();
            if (settlement.kind() == Settlement.Kind.REPLIED) {
                return RejectionReason.forParticipantCode(settlement.reply().reasonCode()).code();
            }
            if (settlement.kind() == Settlement.Kind.TIMED_OUT) {
                return RejectionReason.NOT_COMPLETED_IN_TIME.code();
            }
        }
        return RejectionReason.COULD_NOT_BE_COMPLETED.code();
    }

    @Override
    public String timedOut() {
        return RejectionReason.NOT_COMPLETED_IN_TIME.code();
    }
}
