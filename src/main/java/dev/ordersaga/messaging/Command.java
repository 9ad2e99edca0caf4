package dev.ordersaga.messaging;

import java.time.Instant;

import dev.ordersaga.domain.Order;
import dev.ordersaga.flow.CommandType;

/**
 * The JSON body of a command record. Every command carries the whole order, so that a participant needs no other
 * source; {@code reason} is set on {@code SendOrderRejection} only.
 */
public record Command(String type, String sagaId, String correlationId, Order order, String reason, Instant issuedAt) {

    public static Command of(CommandType type, String sagaId, Order order, String reason, Instant issuedAt) {
        return new Command(type.wireName(), sagaId, type.correlationId(sagaId), order, reason, issuedAt);
    }
}
