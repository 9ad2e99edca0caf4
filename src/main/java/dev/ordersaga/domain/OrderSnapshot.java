package dev.ordersaga.domain;

import java.time.Instant;
import java.util.List;

/**
 * Everything the orchestrator knows of one order, as written to the order store on each change of status and read
 * back at start-up: the order itself, where its saga stands, and the Idempotency-Key it was placed with.
 */
public record OrderSnapshot(
        Order order,
        OrderStatus status,
        String reason,
        List<StepView> steps,
        boolean sagaEnded,
        Instant updatedAt,
        String idempotencyKey,
        String requestHash) {

    public OrderSnapshot {
        steps = List.copyOf(steps);
    }
}
