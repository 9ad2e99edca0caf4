package dev.ordersaga.operator;

import java.time.Instant;
import java.util.UUID;

/**
 * An operator's request about the saga of one order, as the replica that took it writes it to the operator-action
 * topic, keyed by the order id: it lands in the order's partition and is carried out by the replica that owns that
 * partition ({@link OperatorActionInbox}). Its {@code actionId} tells it apart from every other request, so that
 * reading it twice never carries it out twice.
 *
 * @param acceptedBy the instance id of the replica that took the request (for the logs)
 */
public record OperatorAction(String actionId, OperatorActionKind kind, String orderId, Instant requestedAt,
                             String acceptedBy) {

    /** A new request, with an id of its own. */
    public static OperatorAction requested(OperatorActionKind kind, String orderId, Instant at, String acceptedBy) {
        return new OperatorAction(UUID.randomUUID().toString(), kind, orderId, at, acceptedBy);
    }
}
