package dev.ordersaga.domain;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/** Where order snapshots are kept across restarts. */
public interface OrderStore {

    /** Completes once the snapshot is durable. */
    CompletableFuture<Void> save(OrderSnapshot snapshot);

    /** Forgets an order that has left retention. */
    void forget(String orderId);

    /** Every order kept, as last saved. */
    Collection<OrderSnapshot> loadAll();
}
