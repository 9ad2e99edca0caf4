package dev.ordersaga.orders;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.OrderSnapshot;
import dev.ordersaga.domain.OrderStatus;
import dev.ordersaga.domain.OrderView;
import dev.ordersaga.domain.RejectionReason;
import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.saga.SagaOwnership;

/**
 * The orders as every replica reads them: each accepted order, where its saga stands, and the commands it sent,
 * built from the {@link OrderStore} that every replica writes and follows, so it answers the same everywhere. The
 * replica that drives an order's saga changes it ({@link SagaProgress}); the others take the change when they read
 * it. Ended orders are kept up to a bound and then forgotten oldest first ({@link EndedOrderRetention}); the
 * Idempotency-Keys they were placed with are remembered for their own stated time ({@link IdempotencyKeys}).
 */
public final class OrderBook implements OrderStore.OrderChanges {

    private static final Logger LOG = LoggerFactory.getLogger(OrderBook.class);

    /** Told of each unfinished order as it first appears in the store, on whichever replica placed it. */
    @FunctionalInterface
    public interface PlacedOrderListener {
        void placed(String orderId);
    }

    private final Map<String, TrackedOrder> orders = new ConcurrentHashMap<>();
    private final IdempotencyKeys keys;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final EndedOrderRetention retention;
    private final OrderStore store;
    private final SagaOwnership ownership;
    private volatile PlacedOrderListener placedOrders = orderId -> { };

    /**
     * @param retainedEndedOrders    how many ended orders are kept in memory ({@code orders.retained-ended})
     * @param idempotencyKeyRetention how long an Idempotency-Key is honoured after its order was placed
     *                                ({@code api.idempotency-key.retention}), whether its order is still in memory or not
     */
    public OrderBook(int retainedEndedOrders, Duration idempotencyKeyRetention, OrderStore store,
                     SagaOwnership ownership, Clock clock) {
        this.retention = new EndedOrderRetention(retainedEndedOrders);
        this.keys = new IdempotencyKeys(idempotencyKeyRetention, clock);
        this.store = store;
        this.ownership = ownership;
    }

    /** Reads the store up to now, then follows it, telling {@code listener} of every order placed from then on. */
    public void follow(PlacedOrderListener listener) {
        store.follow(this);
        placedOrders = listener;
    }

    @Override
    public void saved(OrderSnapshot snapshot) {
        String orderId = snapshot.order().orderId();
        TrackedOrder known = orders.get(orderId);
        if (known != null) {
            TrackedOrder.Before before = known.takeIfNewer(snapshot);
            if (before != null) {
                changed(known, before);
            }
            return;
        }
        if (snapshot.idempotencyKey() != null) {
            IdempotencyKeys.Claim claim = keys.claim(snapshot, id -> tracked(id).map(TrackedOrder::revision));
            if (claim instanceof IdempotencyKeys.Claim.Refused refused) {
                LOG.debug("Order {} not taken: order {} holds its Idempotency-Key", orderId, refused.holder());
                deleteIfAssigned(orderId);
                return;
            }
            if (claim instanceof IdempotencyKeys.Claim.TakesOver takesOver) {
                LOG.debug("Order {} not taken: order {} holds its Idempotency-Key", takesOver.loser(), orderId);
                forgotten(takesOver.loser());
                deleteIfAssigned(takesOver.loser());
            }
        }
        orders.put(orderId, new TrackedOrder(snapshot));
        if (!snapshot.sagaEnded()) {
            inFlight.incrementAndGet();
            placedOrders.placed(orderId);
        } else if (snapshot.status() != OrderStatus.COMPENSATION_FAILED) {
            retain(orderId);
        }
    }

    @Override
    public void forgotten(String orderId) {
        TrackedOrder forgotten = orders.remove(orderId);
        if (forgotten == null) {
            return;
        }
        if (!forgotten.hasEnded()) {
            inFlight.decrementAndGet();
        }
        if (forgotten.idempotencyKey != null) {
            keys.release(forgotten.idempotencyKey, orderId);
        }
    }

    public Optional<Order> order(String orderId) {
        return tracked(orderId).map(t -> t.order);
    }

    public Optional<OrderView> view(String orderId) {
        return tracked(orderId).map(TrackedOrder::view);
    }

    /** The trace context its saga continues: the request's that placed it; empty if unknown or not traced. */
    public Optional<String> traceparentOf(String orderId) {
        return tracked(orderId).map(t -> t.traceparent);
    }

    /** The flow version the order's saga runs under; empty if the order is unknown or was placed before versions. */
    public Optional<FlowVersion> flowOf(String orderId) {
        return tracked(orderId).map(t -> t.flow);
    }

    /** The orders whose saga has not ended among those {@code selected}, oldest first: what a takeover drives on. */
    public List<String> unfinished(Predicate<String> selected) {
        return orders.values().stream().filter(t -> !t.hasEnded() && selected.test(t.orderId()))
                .sorted(Comparator.comparing((TrackedOrder t) -> t.order.createdAt()))
                .map(TrackedOrder::orderId).toList();
    }

    /**
     * How many orders of each flow version have a saga that has not ended, as every replica sees them: when a version
     * has none left, it can be deleted. Orders placed before flows had versions count under {@code unversioned}.
     */
    public Map<FlowVersion, Long> unfinishedByFlow(FlowVersion unversioned) {
        return orders.values().stream().filter(t -> !t.hasEnded())
                .collect(Collectors.groupingBy(t -> t.flow == null ? unversioned : t.flow,
                        () -> new TreeMap<>(Comparator.comparing(FlowVersion::name)
                                .thenComparingInt(FlowVersion::version)), Collectors.counting()));
    }

    /** Completes once this replica has read every order written to these partitions before the call. */
    public CompletableFuture<Void> caughtUp(Set<Integer> partitions) {
        return store.caughtUp(partitions);
    }

    /** Whether the order is approved and its confirmation failed every attempt (kept for a retry). */
    public boolean confirmationFailed(String orderId) {
        return tracked(orderId).map(TrackedOrder::confirmationFailed).orElse(false);
    }

    public boolean isUnfinished(String orderId) {
        return tracked(orderId).map(t -> !t.hasEnded()).orElse(false);
    }

    /** The most recent orders first, optionally only those with the given status. */
    public List<OrderView> recent(OrderStatus status, int limit) {
        return orders.values().stream()
                .filter(t -> status == null || t.status() == status)
                .sorted(Comparator.comparing((TrackedOrder t) -> t.order.createdAt()).reversed())
                .limit(limit)
                .map(TrackedOrder::view)
                .toList();
    }

    /** Completes with the final view once the order's saga has ended; empty if the order is unknown. */
    public Optional<CompletableFuture<OrderView>> whenSagaEnded(String orderId) {
        return tracked(orderId).map(t -> t.ended.thenApply(ignored -> t.view()));
    }

    public int size() {
        return orders.size();
    }

    /** How many orders wait for their saga to end (COMPENSATION_FAILED ones, whose saga has ended, do not). */
    public int inFlight() {
        return inFlight.get();
    }

    public boolean knowsIdempotencyKey(String idempotencyKey) {
        return keys.isKnown(idempotencyKey);
    }

    /**
     * The order that stands for a request with this key, as a repeat of it is answered: its view while the order is
     * in memory; once it has left the ended orders kept, and while the key is remembered, what is remembered of it
     * (its id, when it was placed, its status and reason; nothing more is kept).
     */
    public Optional<OrderView> viewOfKeyHolder(String idempotencyKey, String orderId) {
        Optional<OrderView> inMemory = view(orderId);
        if (inMemory.isPresent() || idempotencyKey == null) {
            return inMemory;
        }
        return keys.holder(idempotencyKey).filter(holder -> holder.orderId().equals(orderId))
                .filter(holder -> holder.remembered() != null).map(holder -> {
                    RejectionReason reason = holder.remembered().reason();
                    return new OrderView(orderId, holder.remembered().status(), reason == null ? null : reason.code(),
                            reason == null ? null : reason.message(), null, null, null, null, null,
                            holder.placedAt(), null, true, null, null);
                });
    }

    Optional<IdempotencyKeys.Holder> keyHolder(String idempotencyKey) {
        return keys.holder(idempotencyKey);
    }

    Optional<TrackedOrder> tracked(String orderId) {
        return orderId == null ? Optional.empty() : Optional.ofNullable(orders.get(orderId));
    }

    /** How a change moved the order: whether its saga ended, whether it turned final (and counts for retention). */
    void changed(TrackedOrder tracked, TrackedOrder.Before before) {
        if (!before.ended() && tracked.hasEnded()) {
            inFlight.decrementAndGet();
            // outside the order's lock: completing runs the waiting API answers
            tracked.ended.complete(null);
        }
        if (!before.wasFinal() && tracked.isFinal()) {
            retain(tracked.orderId());
        }
    }

    private void retain(String orderId) {
        retention.ended(orderId).ifPresent(this::leaveMemory);
        keys.expire().forEach(this::deleteIfAssigned);
    }

    /**
     * An ended order beyond the retained ones leaves memory. Its record is deleted from the store, unless its
     * Idempotency-Key is still remembered: the record then stays until the key's time is up, so that a restart
     * remembers the key too.
     */
    private void leaveMemory(String orderId) {
        TrackedOrder left = orders.remove(orderId);
        if (left == null) {
            return;
        }
        if (left.idempotencyKey != null) {
            RejectionReason reason = left.reasonCode() == null ? null : RejectionReason.of(left.reasonCode());
            if (keys.remember(left.idempotencyKey, orderId,
                    new IdempotencyKeys.Remembered(left.requestHash, left.status(), reason))) {
                return;
            }
            keys.release(left.idempotencyKey, orderId);
        }
        deleteIfAssigned(orderId);
    }

    /** Deletes an order from the store, if this replica drives its partition (every replica forgets it locally). */
    private void deleteIfAssigned(String orderId) {
        ownership.whileAssigned(orderId, () -> {
            store.forget(orderId);
            return null;
        });
    }
}
