package dev.ordersaga.orders;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.ordersaga.domain.OrderSnapshot;

/**
 * Where order snapshots are kept, shared by every replica: each replica writes the orders whose sagas it drives (and
 * the orders its API accepts), and reads what all of them write.
 */
public interface OrderStore {

    /** Completes once the snapshot is durable. */
    CompletableFuture<Void> save(OrderSnapshot snapshot);

    /** Completes once the snapshot is durable and this replica has read it back (its views show it). */
    CompletableFuture<Void> saveAndReadBack(OrderSnapshot snapshot);

    /** Deletes an order: it left retention, or it lost a race for its Idempotency-Key. */
    void forget(String orderId);

    /**
     * Hands {@code changes} every order kept, returning once it has had everything written before the call, and
     * goes on handing it what any replica writes from then on, in the order it was written per order.
     */
    void follow(OrderChanges changes);

    /** Completes once this replica has read everything written to these partitions before the call. */
    CompletableFuture<Void> caughtUp(Set<Integer> partitions);

    /** Receives the changes to the store, one at a time. */
    interface OrderChanges {
        void saved(OrderSnapshot snapshot);

        void forgotten(String orderId);
    }
}
