package dev.ordersaga.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.domain.StepView.StepStatus;

/**
 * The orchestrator's read model of orders: each accepted order, where its saga stands, and the commands it sent.
 * Every change is saved to the {@link OrderStore}, and the store is read back at start-up, so orders outlive a
 * restart. Orders whose saga has ended are kept up to a retention bound and then forgotten oldest first, so memory
 * stays bounded however many orders pass through.
 */
public final class OrderViews {

    private static final Logger LOG = LoggerFactory.getLogger(OrderViews.class);

    /** The outcome of placing an order: the order that stands for the request, and whether it is a new one. */
    public record Placement(String orderId, boolean isNew, CompletableFuture<Void> durable) {
    }

    private final Map<String, TrackedOrder> orders = new ConcurrentHashMap<>();
    private final Map<String, String> orderIdByIdempotencyKey = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> endedOldestFirst = new ConcurrentLinkedQueue<>();
    private final AtomicInteger endedCount = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int retainedEndedOrders;
    private final OrderStore store;
    private final Clock clock;

    public OrderViews(int retainedEndedOrders, OrderStore store, Clock clock) {
        if (retainedEndedOrders < 1) {
            throw new IllegalArgumentException("retainedEndedOrders must be at least 1, was " + retainedEndedOrders);
        }
        this.retainedEndedOrders = retainedEndedOrders;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Places an order. With an Idempotency-Key already used for the same request, the order placed then stands and
     * nothing new is accepted.
     *
     * @throws IdempotencyKeyReusedException when the key was used for a different request
     */
    public Placement place(Order order, String idempotencyKey, String requestHash) {
        TrackedOrder tracked = new TrackedOrder(new OrderSnapshot(order, OrderStatus.PENDING, null, List.of(), false,
                order.createdAt(), idempotencyKey, requestHash));
        // tracked before its key is published, so that a concurrent request with the same key always finds it
        orders.put(order.orderId(), tracked);
        while (idempotencyKey != null) {
            String earlier = orderIdByIdempotencyKey.putIfAbsent(idempotencyKey, order.orderId());
            if (earlier == null) {
                break;
            }
            TrackedOrder placed = orders.get(earlier);
            if (placed != null) {
                orders.remove(order.orderId());
                if (!placed.requestHash.equals(requestHash)) {
                    throw new IdempotencyKeyReusedException(earlier);
                }
                return new Placement(earlier, false, CompletableFuture.completedFuture(null));
            }
            orderIdByIdempotencyKey.remove(idempotencyKey, earlier); // the earlier order left retention
        }
        inFlight.incrementAndGet();
        return new Placement(order.orderId(), true, tracked.save());
    }

    /** Reads back what the store kept, as at start-up. */
    public void restore(Collection<OrderSnapshot> snapshots) {
        snapshots.stream().sorted(Comparator.comparing((OrderSnapshot s) -> s.order().createdAt()))
                .forEach(snapshot -> {
                    String orderId = snapshot.order().orderId();
                    orders.put(orderId, new TrackedOrder(snapshot));
                    if (snapshot.idempotencyKey() != null) {
                        orderIdByIdempotencyKey.put(snapshot.idempotencyKey(), orderId);
                    }
                    if (snapshot.sagaEnded() && snapshot.status() != OrderStatus.COMPENSATION_FAILED) {
                        rememberEnded(orderId);
                    } else if (!snapshot.sagaEnded()) {
                        inFlight.incrementAndGet();
                    }
                });
    }

    public Optional<Order> order(String orderId) {
        return tracked(orderId).map(t -> t.order);
    }

    public Optional<OrderView> view(String orderId) {
        return tracked(orderId).map(TrackedOrder::view);
    }

    /** The orders whose saga has not ended, oldest first: what a restart must drive on. */
    public List<String> unfinished() {
        return orders.values().stream().filter(t -> !t.hasEnded())
                .sorted(Comparator.comparing((TrackedOrder t) -> t.order.createdAt()))
                .map(t -> t.order.orderId()).toList();
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
        tracked(orderId).ifPresent(t -> t.decide(OrderStatus.APPROVED, null, clock.instant()));
    }

    public void reject(String orderId, String reason) {
        tracked(orderId).ifPresent(t -> t.decide(OrderStatus.REJECTED, reason, clock.instant()));
    }

    /**
     * The saga of this order has ended: its completion or compensation has run. If a compensation could not be
     * done, the order is COMPENSATION_FAILED until a retry succeeds, when it is REJECTED; only then does it count
     * towards retention, so that an order that needs an operator is never forgotten.
     */
    public void sagaEnded(String orderId, boolean compensationFailed) {
        Optional<TrackedOrder> ended = tracked(orderId);
        if (ended.isPresent()) {
            TrackedOrder.Ending ending = ended.get().end(compensationFailed, clock.instant());
            if (ending.first()) {
                inFlight.decrementAndGet();
            }
            if (ending.nowFinal()) {
                rememberEnded(orderId);
            }
        }
    }

    /** Completes with the final view once the order's saga has ended; empty if the order is unknown. */
    public Optional<CompletableFuture<OrderView>> whenSagaEnded(String orderId) {
        return tracked(orderId).map(t -> t.ended.thenApply(ignored -> t.view()));
    }

    /**
     * Forgets an order that could not be made durable in time, so that it is neither answered for nor run, not even
     * after a restart if its write lands late: the tombstone follows it to the same partition.
     */
    public void abandon(String orderId) {
        TrackedOrder abandoned = orders.remove(orderId);
        if (abandoned != null && !abandoned.hasEnded()) {
            inFlight.decrementAndGet();
        }
        if (abandoned != null && abandoned.idempotencyKey != null) {
            orderIdByIdempotencyKey.remove(abandoned.idempotencyKey, orderId);
        }
        store.forget(orderId);
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
                TrackedOrder forgotten = orders.remove(oldest);
                if (forgotten != null && forgotten.idempotencyKey != null) {
                    orderIdByIdempotencyKey.remove(forgotten.idempotencyKey, oldest);
                }
                store.forget(oldest);
            }
        }
    }

    private Optional<TrackedOrder> tracked(String orderId) {
        return orderId == null ? Optional.empty() : Optional.ofNullable(orders.get(orderId));
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

        TrackedOrder(OrderSnapshot snapshot) {
            this.order = snapshot.order();
            this.idempotencyKey = snapshot.idempotencyKey();
            this.requestHash = snapshot.requestHash();
            this.steps = new ArrayList<>(snapshot.steps());
            this.status = snapshot.status();
            this.reason = snapshot.reason();
            this.updatedAt = snapshot.updatedAt();
            this.sagaEnded = snapshot.sagaEnded();
            if (sagaEnded) {
                ended.complete(null);
            }
        }

        synchronized boolean hasEnded() {
            return sagaEnded;
        }

        synchronized OrderStatus status() {
            return status;
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
            // not saved: a step's progress is in memory only, and in the record the order's next change of status
            // writes (its saga's end at the latest). After a crash the saga runs again and shows its steps again;
            // a record per step would double what a saga writes to Kafka for a view nobody needs to survive.
        }

        synchronized void decide(OrderStatus outcome, String why, Instant at) {
            if (status == OrderStatus.PENDING) {
                status = outcome;
                reason = why;
                updatedAt = at;
                save();
            }
        }

        /**
         * @param first    whether the saga had not ended before (a retried compensation ends it again)
         * @param nowFinal whether the order is APPROVED or REJECTED for the first time (and so counts towards
         *                 retention)
         */
        record Ending(boolean first, boolean nowFinal) {
        }

        Ending end(boolean compensationFailed, Instant at) {
            boolean first;
            boolean nowFinal;
            synchronized (this) {
                first = !sagaEnded;
                boolean wasFinal = sagaEnded && status != OrderStatus.COMPENSATION_FAILED;
                if (compensationFailed) {
                    status = OrderStatus.COMPENSATION_FAILED;
                } else if (status == OrderStatus.COMPENSATION_FAILED) {
                    status = OrderStatus.REJECTED;
                }
                updatedAt = at;
                sagaEnded = true;
                nowFinal = !wasFinal && status != OrderStatus.COMPENSATION_FAILED;
                save();
            }
            // outside the lock: completing runs the waiting API answers
            ended.complete(null);
            return new Ending(first, nowFinal);
        }

        /** Saves the order as it stands; called holding the lock, so that saves reach the store in order. */
        CompletableFuture<Void> save() {
            CompletableFuture<Void> saved = store.save(snapshot());
            saved.exceptionally(error -> {
                LOG.warn("Order {} could not be saved: {}", order.orderId(), error.getMessage());
                return null;
            });
            return saved;
        }

        private OrderSnapshot snapshot() {
            return new OrderSnapshot(order, status, reason, steps, sagaEnded, updatedAt, idempotencyKey,
                    requestHash);
        }

        synchronized OrderView view() {
            return new OrderView(order.orderId(), status, reason, order.total(), order.currency(), order.items(),
                    order.customerId(), order.customerEmail(), order.createdAt(), updatedAt, sagaEnded,
                    List.copyOf(steps));
        }
    }
}
