package dev.ordersaga.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ordersaga.domain.StepView.StepStatus;

/**
 * The orchestrator's read model of orders: each accepted order, where its saga stands, and the commands it sent.
 * Orders whose saga has ended are kept up to a retention bound and then forgotten oldest first, so memory stays
 * bounded however many orders pass through.
 */
public final class OrderViews {

    private final Map<String, TrackedOrder> orders = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> endedOldestFirst = new ConcurrentLinkedQueue<>();
    private final AtomicInteger endedCount = new AtomicInteger();
    private final int retainedEndedOrders;
    private final Clock clock;

    public OrderViews(int retainedEndedOrders, Clock clock) {
        if (retainedEndedOrders < 1) {
            throw new IllegalArgumentException("retainedEndedOrders must be at least 1, was " + retainedEndedOrders);
        }
        this.retainedEndedOrders = retainedEndedOrders;
        this.clock = clock;
    }

    public void accept(Order order) {
        orders.put(order.orderId(), new TrackedOrder(order));
    }

    public Optional<Order> order(String orderId) {
        return tracked(orderId).map(t -> t.order);
    }

    public Optional<OrderView> view(String orderId) {
        return tracked(orderId).map(TrackedOrder::view);
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

    /** The saga of this order has ended: its completion or compensation has run. */
    public void sagaEnded(String orderId) {
        Optional<TrackedOrder> ended = tracked(orderId);
        if (ended.isPresent() && ended.get().end(clock.instant())) {
            endedOldestFirst.add(orderId);
            if (endedCount.incrementAndGet() > retainedEndedOrders) {
                forgetOldestEnded();
            }
        }
    }

    /** Completes with the final view once the order's saga has ended; empty if the order is unknown. */
    public Optional<CompletableFuture<OrderView>> whenSagaEnded(String orderId) {
        return tracked(orderId).map(t -> t.ended.thenApply(ignored -> t.view()));
    }

    public int size() {
        return orders.size();
    }

    private void forgetOldestEnded() {
        String oldest = endedOldestFirst.poll();
        if (oldest != null) {
            endedCount.decrementAndGet();
            orders.remove(oldest);
        }
    }

    private Optional<TrackedOrder> tracked(String orderId) {
        return orderId == null ? Optional.empty() : Optional.ofNullable(orders.get(orderId));
    }

    private static final class TrackedOrder {
        final Order order;
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        private final List<StepView> steps = new ArrayList<>();
        private OrderStatus status = OrderStatus.PENDING;
        private String reason;
        private Instant updatedAt;

        TrackedOrder(Order order) {
            this.order = order;
            this.updatedAt = order.createdAt();
        }

        synchronized OrderStatus status() {
            return status;
        }

        synchronized void step(String name, StepStatus stepStatus, String detail, Instant at) {
            StepView updated = new StepView(name, stepStatus, at, detail);
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).name().equals(name)) {
                    steps.set(i, updated);
                    updatedAt = at;
                    return;
                }
            }
            steps.add(updated);
            updatedAt = at;
        }

        synchronized void decide(OrderStatus outcome, String why, Instant at) {
            if (status == OrderStatus.PENDING) {
                status = outcome;
                reason = why;
                updatedAt = at;
            }
        }

        /** @return true the first time only */
        boolean end(Instant at) {
            synchronized (this) {
                if (ended.isDone()) {
                    return false;
                }
                updatedAt = at;
            }
            return ended.complete(null);
        }

        synchronized OrderView view() {
            return new OrderView(order.orderId(), status, reason, order.total(), order.currency(), order.items(),
                    order.customerId(), order.customerEmail(), order.createdAt(), updatedAt, ended.isDone(),
                    List.copyOf(steps));
        }
    }
}
