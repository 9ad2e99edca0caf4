package dev.ordersaga.messaging;

import java.time.Instant;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.RejectionReason;
import dev.ordersaga.flow.CommandType;

/**
 * The JSON body of a command record. Every command carries the whole order, so that a participant needs no other
 * source. The commands sent once a saga is compensated (its undo commands and SendOrderRejection) carry why: the
 * rejection's code and the sentence the customer is told ({@link RejectionReason}).
 */
public record Command(String type, String sagaId, String correlationId, Order order, String reasonCode, String reason,
                      Instant issuedAt) {

    public static Command of(CommandType type, String sagaId, Order order, RejectionReason rejection, Instant issuedAt) {
        return new Command(type.wireName(), sagaId, type.correlationId(sagaId), order,
                rejection == null ? null : rejection.code(), rejection == null ? null : rejection.message(), issuedAt);
    }
}
