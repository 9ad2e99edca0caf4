package dev.ordersaga.messaging;

import java.time.Instant;

/**
 * The JSON body of a reply record. A {@code FAILURE} with {@code retryable=true} means the participant applied and
 * recorded nothing (a transient fault): the same command may be sent again and will be handled afresh.
 */
public record Reply(
        String correlationId,
        String sagaId,
        String orderId,
        String commandType,
        Outcome outcome,
        String reason,
        boolean retryable,
        String participant,
        Instant at) {

    public enum Outcome { SUCCESS, FAILURE }

    public boolean succeeded() {
        return outcome == Outcome.SUCCESS;
    }
}
