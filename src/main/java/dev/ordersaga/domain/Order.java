package dev.ordersaga.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An accepted order: what the client asked for, with the id and total the orchestrator gave it. Immutable; the
 * progress of its saga is kept apart, in the order book (dev.ordersaga.orders.OrderBook).
 */
public record Order(
        String orderId,
        String customerId,
        String customerEmail,
        String currency,
        List<OrderLine> items,
        String cardToken,
        BigDecimal total,
        Instant createdAt) {

    public Order {
        items = List.copyOf(items);
    }
}
