package dev.ordersaga.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.ordersaga.domain.OrderSnapshot;
import dev.ordersaga.orders.OrderStore;

/**
 * The order store as a log kept in memory and read back at once, for tests without a broker: a follower is handed
 * everything kept first (as a replica started later reads the orders topic from its beginning), then every change;
 * a later follower takes over from an earlier one. What was deleted is kept for the test to see.
 */
public final class InMemoryOrderStore implements OrderStore {

    private final List<OrderSnapshot> log = Collections.synchronizedList(new ArrayList<>());
    private final List<String> deleted = Collections.synchronizedList(new ArrayList<>());
    private volatile OrderChanges changes;

    @Override
    public CompletableFuture<Void> save(OrderSnapshot snapshot) {
        log.add(snapshot);
        changes.saved(snapshot);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> saveAndReadBack(OrderSnapshot snapshot) {
        return save(snapshot);
    }

    @Override
    public void forget(String orderId) {
        deleted.add(orderId);
        log.removeIf(snapshot -> snapshot.order().orderId().equals(orderId));
        changes.forgotten(orderId);
    }

    @Override
    public void follow(OrderChanges follower) {
        List<OrderSnapshot> kept;
        synchronized (log) {
            kept = List.copyOf(log);
        }
        kept.forEach(follower::saved);
        this.changes = follower;
    }

    @Override
    public CompletableFuture<Void> caughtUp(Set<Integer> partitions) {
        return CompletableFuture.completedFuture(null);
    }

    /** Whether some replica follows the store already. */
    public boolean followed() {
        return changes != null;
    }

    /** The ids of the orders deleted so far, oldest first. */
    public List<String> deleted() {
        synchronized (deleted) {
            return List.copyOf(deleted);
        }
    }
}
