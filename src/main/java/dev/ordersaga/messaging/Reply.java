package dev.ordersaga.messaging;

import java.time.Instant;

/**
 * The JSON body of a reply record. A {@code FAILURE} carries a {@code reasonCode} (stable: the orchestrator acts on
 * it and tells the customer the business reason it stands for) and a {@code reason} (the participant's own words,
 * for operators). A {@code FAILURE} with {@code retryable=true} means the participant applied and recorded nothing (a
 * transient fault): the same command is sent again, under the same correlation id, until the saga's deadline.
 */
public record Reply(
        String correlationId,
        String sagaId,
        String orderId,
        String commandType,
        Outcome outcome,
        String reasonCode,
        String reason,
        boolean retryable,
        String participant,
        Instant at) {

    public enum Outcome { SUCCESS, FAILURE }

    public boolean succeeded() {
        return outcome == Outcome.SUCCESS;
    }
}
