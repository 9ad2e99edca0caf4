package dev.ordersaga.bench;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.ordersaga.domain.OrderStatus;
import dev.ordersaga.domain.OrderView;
import dev.ordersaga.orders.OrderBook;

/**
 * Where the benchmark sees the end of an accepted order's saga without holding an HTTP worker: the status the order
 * ended with, once its saga has ended (final order, confirmation email done).
 */
interface SagaEnds {

    /** Completes with the order's final status once its saga has ended; empty if the order is unknown. */
    Optional<CompletableFuture<OrderStatus>> whenEnded(String orderId);

    /** The orchestrator running in this JVM: {@link OrderBook#whenSagaEnded}. */
    static SagaEnds of(OrderBook orders) {
        return orderId -> orders.whenSagaEnded(orderId).map(ended -> ended.thenApply(OrderView::status));
    }
}
