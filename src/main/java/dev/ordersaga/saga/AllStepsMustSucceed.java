package dev.ordersaga.saga;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Joins the replies of steps that ran in parallel: the joined exchange fails if any step failed, with the first
 * failure, so that the saga compensates every step that was done, whichever finished first.
 */
public final class AllStepsMustSucceed implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange joined, Exchange step) {
        if (joined == null) {
            return step;
        }
        if (joined.getException() == null && step.getException() != null) {
            joined.setException(step.getException());
        }
        return joined;
    }
}
