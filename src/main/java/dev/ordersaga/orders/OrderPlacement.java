package dev.ordersaga.orders;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.OrderSnapshot;
import dev.ordersaga.domain.OrderStatus;
import dev.ordersaga.flow.FlowVersion;

/**
 * Places orders: an order is written to the store and answered once this replica has read it back. With an
 * Idempotency-Key, the first order placed with the key stands, on whichever replica it was placed: the order's id
 * lands it in the key's partition, so every replica reads the competing placements in the same order.
 */
public final class OrderPlacement {

    /** The outcome of placing an order: the order that stands for the request, and whether it is a new one. */
    public record Placement(String orderId, boolean isNew) {
    }

    private final OrderBook book;
    private final OrderStore store;

    public OrderPlacement(OrderBook book, OrderStore store) {
        this.book = book;
        this.store = store;
    }

    /**
     * @param flow the flow version its saga is to run under
     * @param traceparent the W3C trace context of the placing request, which the saga continues; null if none
     * @return the placement; fails with {@link IdempotencyKeyReusedException} when the key was used for a different
     * request
     */
    public CompletableFuture<Placement> place(Order order, FlowVersion flow, String idempotencyKey,
                                              String requestHash, String traceparent) {
        if (idempotencyKey != null) {
            Optional<Placement> earlier = earlierPlacement(idempotencyKey, requestHash);
            if (earlier.isPresent()) {
                return CompletableFuture.completedFuture(earlier.get());
            }
        }
        OrderSnapshot placed = new OrderSnapshot(order, flow, OrderStatus.PENDING, null, null, List.of(), false,
                order.createdAt(), idempotencyKey, requestHash, 1, false, traceparent);
        return store.saveAndReadBack(placed).thenApply(readBack -> {
            String holder = idempotencyKey == null ? null
                    : book.keyHolder(idempotencyKey).map(IdempotencyKeys.Holder::orderId).orElse(null);
            if (holder != null && !holder.equals(order.orderId())) {
                // a request with the same key was placed first, here or on another replica: that order stands
                return earlierPlacement(idempotencyKey, requestHash).orElse(new Placement(holder, false));
            }
            return new Placement(order.orderId(), true);
        });
    }

    /**
     * The order placed earlier with the key, while the key is honoured: in memory, or remembered after its order
     * left the ended orders kept.
     */
    private Optional<Placement> earlierPlacement(String idempotencyKey, String requestHash) {
        Optional<IdempotencyKeys.Holder> earlier = book.keyHolder(idempotencyKey);
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        String orderId = earlier.get().orderId();
        IdempotencyKeys.Remembered remembered = earlier.get().remembered();
        Optional<String> placedHash = remembered != null ? Optional.ofNullable(remembered.requestHash())
                : book.tracked(orderId).map(placed -> placed.requestHash);
        if (placedHash.isEmpty()) {
            return Optional.empty();
        }
        if (!placedHash.get().equals(requestHash)) {
            throw new IdempotencyKeyReusedException(orderId);
        }
        return Optional.of(new Placement(orderId, false));
    }
}
