package dev.ordersaga.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.domain.StepView.StepStatus;
import dev.ordersaga.saga.SagaOwnership;

/**
 * The orchestrator's read model of orders: each accepted order, where its saga stands, and the commands it sent. It
 * is the same on every replica: built from the {@link OrderStore}, which every replica writes and follows. An order
 * is changed only by the replica that drives its saga ({@link SagaOwnership}), which applies the change here at
 * once and writes it; the other replicas take it when they read it. Orders whose saga has ended are kept up to a
 * retention bound and then forgotten oldest first, so memory stays bounded however many orders pass through.
 */
public final class OrderViews implements OrderStore.OrderChanges {

    private static final Logger LOG = LoggerFactory.getLogger(OrderViews.class);

    /** The outcome of placing an order: the order that stands for the request, and whether it is a new one. */
    public record Placement(String orderId, boolean isNew) {
    }

    /** Told of each unfinished order as it first appears in the store, on whichever replica placed it. */
    @FunctionalInterface
    public interface PlacedOrderListener {
        void placed(String orderId);
    }

    private final Map<String, TrackedOrder> orders = new ConcurrentHashMap<>();
    private final Map<String, String> orderIdByIdempotencyKey = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> endedOldestFirst = new ConcurrentLinkedQueue<>();
    private final AtomicInteger endedCount = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int retainedEndedOrders;
    private final OrderStore store;
    private final SagaOwnership ownership;
    private final Clock clock;
    private volatile PlacedOrderListener placedOrders = orderId -> { };

    public OrderViews(int retainedEndedOrders, OrderStore store, SagaOwnership ownership, Clock clock) {
        if (retainedEndedOrders < 1) {
            throw new IllegalArgumentException("retainedEndedOrders must be at least 1, was " + retainedEndedOrders);
        }
        this.retainedEndedOrders = retainedEndedOrders;
        this.store = store;
        this.ownership = ownership;
        this.clock = clock;
    }

    /** Reads the store up to now, then follows it, telling {@code listener} of every order placed from then on. */
    public void follow(PlacedOrderListener listener) {
        store.follow(this);
        placedOrders = listener;
    }

    /**
     * Places an order: completes once it is durable and shown here. With an Idempotency-Key, the first order placed
     * with the key stands, on whichever replica it was placed: the order's id lands it in the key's partition, so
     * every replica reads the competing placements in the same order.
     *
     * @return the placement; fails with {@link IdempotencyKeyReusedException} when the key was used for a different
     * request
     */
    public CompletableFuture<Placement> place(Order order, String idempotencyKey, String requestHash) {
        if (idempotencyKey != null) {
            Optional<Placement> earlier = earlierPlacement(idempotencyKey, requestHash);
            if (earlier.isPresent()) {
                return CompletableFuture.completedFuture(earlier.get());
            }
        }
        OrderSnapshot placed = new OrderSnapshot(order, OrderStatus.PENDING, null, List.of(), false, order.createdAt(),
                idempotencyKey, requestHash, 1);
        return store.saveAndReadBack(placed).thenApply(readBack -> {
            String holder = idempotencyKey == null ? null : orderIdByIdempotencyKey.get(idempotencyKey);
            if (holder != null && !holder.equals(order.orderId())) {
                // a request with the same key was placed first, here or on another replica: that order stands
                return earlierPlacement(idempotencyKey, requestHash).orElse(new Placement(holder, false));
            }
            return new Placement(order.orderId(), true);
        });
    }

    private Optional<Placement> earlierPlacement(String idempotencyKey, String requestHash) {
        String earlier = orderIdByIdempotencyKey.get(idempotencyKey);
        TrackedOrder placed = earlier == null ? null : orders.get(earlier);
        if (placed == null) {
            return Optional.empty();
        }
        if (!placed.requestHash.equals(requestHash)) {
            throw new IdempotencyKeyReusedException(earlier);
        }
        return Optional.of(new Placement(earlier, false));
    }

    @Override
    public void saved(OrderSnapshot snapshot) {
        String orderId = snapshot.order().orderId();
        TrackedOrder known = orders.get(orderId);
        if (known != null) {
            known.takeIfNewer(snapshot);
            return;
        }
        if (snapshot.idempotencyKey() != null && !holdsKey(snapshot)) {
            LOG.debug("Order {} not taken: an earlier order holds its Idempotency-Key", orderId);
            deleteIfAssigned(orderId);
            return;
        }
        orders.put(orderId, new TrackedOrder(snapshot));
        if (!snapshot.sagaEnded()) {
            inFlight.incrementAndGet();
            placedOrders.placed(orderId);
        } else if (snapshot.status() != OrderStatus.COMPENSATION_FAILED) {
            rememberEnded(orderId);
        }
    }

    /**
     * Whether the order may hold its Idempotency-Key: the first order placed with a key holds it. Read back from a
     * compacted store, the holder's placement may be gone and only its later snapshots left, after a competing
     * placement that lost: an order whose saga has moved on then wins over a mere placement.
     */
    private boolean holdsKey(OrderSnapshot snapshot) {
        String orderId = snapshot.order().orderId();
        String holder = orderIdByIdempotencyKey.putIfAbsent(snapshot.idempotencyKey(), orderId);
        if (holder == null || holder.equals(orderId)) {
            return true;
        }
        TrackedOrder held = orders.get(holder);
        if (held != null && !(snapshot.revision() > 1 && held.revision() == 1)) {
            return false;
        }
        if (held != null) {
            LOG.debug("Order {} not taken: order {} holds its Idempotency-Key", holder, orderId);
            forgotten(holder);
            deleteIfAssigned(holder);
        }
        orderIdByIdempotencyKey.put(snapshot.idempotencyKey(), orderId);
        return true;
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
            orderIdByIdempotencyKey.remove(forgotten.idempotencyKey, orderId);
        }
    }

    public Optional<Order> order(String orderId) {
        return tracked(orderId).map(t -> t.order);
    }

    public Optional<OrderView> view(String orderId) {
        return tracked(orderId).map(TrackedOrder::view);
    }

    /** The orders whose saga has not ended among those {@code selected}, oldest first: what a takeover drives on. */
    public List<String> unfinished(Predicate<String> selected) {
        return orders.values().stream().filter(t -> !t.hasEnded() && selected.test(t.order.orderId()))
                .sorted(Comparator.comparing((TrackedOrder t) -> t.order.createdAt()))
                .map(t -> t.order.orderId()).toList();
    }

    /** Completes once this replica has read every order written to these partitions before the call. */
    public CompletableFuture<Void> caughtUp(Set<Integer> partitions) {
        return store.caughtUp(partitions);
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

    public void commandSent(String orderId, String command) {
        tracked(orderId).ifPresent(t -> t.step(command, StepStatus.SENT, null, clock.instant()));
    }

    public void commandEnded(String orderId, String command, StepStatus status, String detail) {
        tracked(orderId).ifPresent(t -> t.step(command, status, detail, clock.instant()));
    }

    public void approve(String orderId) {
        decide(orderId, OrderStatus.APPROVED, null);
    }

    public void reject(String orderId, String reason) {
        decide(orderId, OrderStatus.REJECTED, reason);
    }

    private void decide(String orderId, OrderStatus outcome, String reason) {
        tracked(orderId).ifPresent(t -> ownership.whileAssigned(orderId, () -> t.decide(outcome, reason,
                clock.instant())));
    }

    /**
     * The saga of this order has ended: its completion or compensation has run. If a compensation could not be
     * done, the order is COMPENSATION_FAILED until a retry succeeds, when it is REJECTED; only then does it count
     * towards retention, so that an order that needs an operator is never forgotten.
     */
    public void sagaEnded(String orderId, boolean compensationFailed) {
        tracked(orderId).ifPresent(t -> ownership.whileAssigned(orderId,
                () -> t.end(compensationFailed, clock.instant())));
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
        return orderIdByIdempotencyKey.containsKey(idempotencyKey);
    }

    private void rememberEnded(String orderId) {
        endedOldestFirst.add(orderId);
        if (endedCount.incrementAndGet() > retainedEndedOrders) {
            String oldest = endedOldestFirst.poll();
            if (oldest != null) {
                endedCount.decrementAndGet();
                forgotten(oldest);
                deleteIfAssigned(oldest);
            }
        }
    }

    /** Deletes an order from the store, if this replica drives its partition (every replica forgets it locally). */
    private void deleteIfAssigned(String orderId) {
        ownership.whileAssigned(orderId, () -> {
            store.forget(orderId);
            return null;
        });
    }

    private Optional<TrackedOrder> tracked(String orderId) {
        return orderId == null ? Optional.empty() : Optional.ofNullable(orders.get(orderId));
    }

    /** How a change moved the order: whether its saga ended, whether it turned final (and counts for retention). */
    private void changed(String orderId, TrackedOrder tracked, boolean wasEnded, boolean wasFinal) {
        boolean nowEnded = tracked.hasEnded();
        boolean nowFinal = tracked.isFinal();
        if (!wasEnded && nowEnded) {
            inFlight.decrementAndGet();
            // outside the order's lock: completing runs the waiting API answers
            tracked.ended.complete(null);
        }
        if (!wasFinal && nowFinal) {
            rememberEnded(orderId);
        }
    }

    private final class TrackedOrder {
        final Order order;
        final String idempotencyKey;
        final String requestHash;
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        private final List<StepView> steps;
        private OrderStatus status;
        private String reason;
        private Instant updatedAt;
        private boolean sagaEnded;
        private long revision;

        TrackedOrder(OrderSnapshot snapshot) {
            this.order = snapshot.order();
            this.idempotencyKey = snapshot.idempotencyKey();
            this.requestHash = snapshot.requestHash();
            this.steps = new ArrayList<>(snapshot.steps());
            take(snapshot);
            if (sagaEnded) {
                ended.complete(null);
            }
        }

        synchronized boolean hasEnded() {
            return sagaEnded;
        }

        synchronized boolean isFinal() {
            return sagaEnded && status != OrderStatus.COMPENSATION_FAILED;
        }

        synchronized OrderStatus status() {
            return status;
        }

        synchronized long revision() {
            return revision;
        }

        /** A snapshot another replica (or this one) wrote; taken only if it is newer than what is shown. */
        void takeIfNewer(OrderSnapshot snapshot) {
            boolean wasEnded;
            boolean wasFinal;
            synchronized (this) {
                if (snapshot.revision() <= revision) {
                    return;
                }
                wasEnded = sagaEnded;
                wasFinal = isFinal();
                steps.clear();
                steps.addAll(snapshot.steps());
                take(snapshot);
            }
            changed(order.orderId(), this, wasEnded, wasFinal);
        }

        private void take(OrderSnapshot snapshot) {
            status = snapshot.status();
            reason = snapshot.reason();
            updatedAt = snapshot.updatedAt();
            sagaEnded = snapshot.sagaEnded();
            revision = snapshot.revision();
        }

        synchronized void step(String name, StepStatus stepStatus, String detail, Instant at) {
            StepView updated = new StepView(name, stepStatus, at, detail);
            boolean replaced = false;
            for (int i = 0; i < steps.size() && !replaced; i++) {
                if (steps.get(i).name().equals(name)) {
                    steps.set(i, updated);
                    replaced = true;
                }
            }
            if (!replaced) {
                steps.add(updated);
            }
            updatedAt = at;
            // not saved: a step's progress is in memory only (on the replica that drives the saga), and in the
            // record the order's next change of status writes (its saga's end at the latest). After a crash the saga
            // runs again and shows its steps again; a record per step would double what a saga writes to Kafka.
        }

        /**
         * Not saved: the decision is durable in the saga journal (COMPLETING or COMPENSATING) already, and the record
         * of the saga's end, a moment later, carries it to the store and the other replicas.
         */
        synchronized boolean decide(OrderStatus outcome, String why, Instant at) {
            if (status != OrderStatus.PENDING) {
                return false;
            }
            status = outcome;
            reason = why;
            updatedAt = at;
            return true;
        }

        CompletableFuture<Void> end(boolean compensationFailed, Instant at) {
            boolean wasEnded;
            boolean wasFinal;
            CompletableFuture<Void> saved;
            synchronized (this) {
                wasEnded = sagaEnded;
                wasFinal = isFinal();
                if (compensationFailed) {
                    status = OrderStatus.COMPENSATION_FAILED;
                } else if (status == OrderStatus.COMPENSATION_FAILED) {
                    status = OrderStatus.REJECTED;
                }
                updatedAt = at;
                sagaEnded = true;
                saved = save();
            }
            changed(order.orderId(), this, wasEnded, wasFinal);
            return saved;
        }

        /** Saves the order as it stands, as its next revision; called holding the lock, so saves stay in order. */
        private CompletableFuture<Void> save() {
            revision++;
            CompletableFuture<Void> saved = store.save(new OrderSnapshot(order, status, reason, steps, sagaEnded,
                    updatedAt, idempotencyKey, requestHash, revision));
            saved.exceptionally(error -> {
                LOG.warn("Order {} could not be saved: {}", order.orderId(), error.getMessage());
                return null;
            });
            return saved;
        }

        synchronized OrderView view() {
            return new OrderView(order.orderId(), status, reason, order.total(), order.currency(), order.items(),
                    order.customerId(), order.customerEmail(), order.createdAt(), updatedAt, sagaEnded,
                    List.copyOf(steps));
        }
    }
}
