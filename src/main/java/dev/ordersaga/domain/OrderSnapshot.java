package dev.ordersaga.domain;

import java.time.Instant;
import java.util.List;

import dev.ordersaga.flow.FlowVersion;

/**
 * Everything the orchestrator knows of one order, as written to the order store on each change of status and read
 * by every replica: the order itself, the flow version its saga runs under (chosen when the order is placed: the
 * newest the accepting replica knows; null in records written before flows had versions), where its saga stands, and
 * the Idempotency-Key it was placed with.
 * {@code revision} counts the snapshots of the order: 1 when it is placed, one more with each change its saga's
 * owner writes, so that a replica never takes an older snapshot over a newer one. {@code confirmationFailed}: an
 * approved order whose confirmation failed every attempt (its saga kept for a retry), which its status does not show;
 * every replica reads it to take a retry of it (false in records written before it was recorded).
 * {@code traceparent} is the W3C trace context of the request that placed the order (null when it was not traced, and
 * in records written before traces): the saga of the order continues that trace on whichever replica drives it.
 */
public record OrderSnapshot(
        Order order,
        FlowVersion flow,
        OrderStatus status,
        String reasonCode,
        String reason,
        List<StepView> steps,
        boolean sagaEnded,
        Instant updatedAt,
        String idempotencyKey,
        String requestHash,
        long revision,
        boolean confirmationFailed,
        String traceparent) {

    public OrderSnapshot {
        steps = List.copyOf(steps);
    }
}
