package dev.ordersaga.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import dev.ordersaga.flow.FlowVersion;

/**
 * The JSON view of an order that {@code GET /api/orders/{orderId}} returns: with the flow version its saga runs under,
 * and, for a rejected order, why, as a stable code and the sentence its customer is told ({@link RejectionReason}).
 */
public record OrderView(
        String orderId,
        OrderStatus status,
        String reasonCode,
        String reason,
        BigDecimal total,
        String currency,
        List<OrderLine> items,
        String customerId,
        String customerEmail,
        Instant createdAt,
        Instant updatedAt,
        boolean sagaFinished,
        FlowVersion flow,
        List<StepView> steps) {
}
