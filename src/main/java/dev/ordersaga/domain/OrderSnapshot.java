package dev.ordersaga.domain;

import java.time.Instant;
import java.util.List;

/**
 * Everything the orchestrator knows of one order, as written to the order store on each change of status and read
 * by every replica: the order itself, where its saga stands, and the Idempotency-Key it was placed with.
 * {@code revision} counts the snapshots of the order: 1 when it is placed, one more with each change its saga's
 * owner writes, so that a replica never takes an older snapshot over a newer one.
 */
public record OrderSnapshot(
        Order order,
        OrderStatus status,
        String reason,
        List<StepView> steps,
        boolean sagaEnded,
        Instant updatedAt,
        String idempotencyKey,
        String requestHash,
        long revision) {

    public OrderSnapshot {
        steps = List.copyOf(steps);
    }
}
