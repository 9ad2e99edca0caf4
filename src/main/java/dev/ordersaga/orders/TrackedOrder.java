package dev.ordersaga.orders;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.OrderSnapshot;
import dev.ordersaga.domain.OrderStatus;
import dev.ordersaga.domain.OrderView;
import dev.ordersaga.domain.RejectionReason;
import dev.ordersaga.domain.StepView;
import dev.ordersaga.domain.StepView.StepStatus;
import dev.ordersaga.flow.FlowVersion;

/** One order as a replica knows it: the order, its saga's progress and outcome, guarded by the order's own lock. */
final class TrackedOrder {

    /** Where a change left the order before it: whether its saga had ended, and whether the order was final. */
    record Before(boolean ended, boolean wasFinal) {
    }

    final Order order;
    final FlowVersion flow;
    final String idempotencyKey;
    final String requestHash;
    /** The trace the order's saga continues (the placing request's); null when not traced. */
    final String traceparent;
    /** Completes once the saga has ended (seen here, whoever drove it). */
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final List<StepView> steps;
    private OrderStatus status;
    private String reasonCode;
    private String reason;
    private Instant updatedAt;
    private boolean sagaEnded;
    private boolean confirmationFailed;
    private long revision;

    TrackedOrder(OrderSnapshot snapshot) {
        this.order = snapshot.order();
        this.flow = snapshot.flow();
        this.idempotencyKey = snapshot.idempotencyKey();
        this.requestHash = snapshot.requestHash();
        this.traceparent = snapshot.traceparent();
        this.steps = new ArrayList<>(snapshot.steps());
        take(snapshot);
        if (sagaEnded) {
            ended.complete(null);
        }
    }

    String orderId() {
        return order.orderId();
    }

    synchronized boolean hasEnded() {
        return sagaEnded;
    }

    /** Ended, and needing nothing more: a COMPENSATION_FAILED order waits for a retry. */
    synchronized boolean isFinal() {
        return sagaEnded && status != OrderStatus.COMPENSATION_FAILED;
    }

    synchronized OrderStatus status() {
        return status;
    }

    /** Approved, and its confirmation failed every attempt: kept for a retry. */
    synchronized boolean confirmationFailed() {
        return confirmationFailed;
    }

    synchronized String reasonCode() {
        return reasonCode;
    }

    synchronized long revision() {
        return revision;
    }

    /** A snapshot another replica (or this one) wrote; taken only if it is newer than what is shown, else null. */
    synchronized Before takeIfNewer(OrderSnapshot snapshot) {
        if (snapshot.revision() <= revision) {
            return null;
        }
        Before before = before();
        steps.clear();
        steps.addAll(snapshot.steps());
        take(snapshot);
        return before;
    }

    private void take(OrderSnapshot snapshot) {
        status = snapshot.status();
        reasonCode = snapshot.reasonCode();
        reason = snapshot.reason();
        updatedAt = snapshot.updatedAt();
        sagaEnded = snapshot.sagaEnded();
        confirmationFailed = snapshot.confirmationFailed();
        revision = snapshot.revision();
    }

    private Before before() {
        return new Before(sagaEnded, isFinal());
    }

    /**
     * A command's progress, shown at once. Not saved: a step's progress is in memory only (on the replica that drives
     * the saga), and in the record the order's next change of status writes (its saga's end at the latest). After a
     * crash the saga runs again and shows its steps again; a record per step would double what a saga writes.
     */
    synchronized void step(String name, int attempt, StepStatus stepStatus, String detail, Instant at) {
        StepView updated = new StepView(name, attempt, stepStatus, at, detail);
        updatedAt = at;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name().equals(name) && steps.get(i).attempt() == attempt) {
                steps.set(i, updated);
                return;
            }
        }
        steps.add(updated);
    }

    /**
     * The saga's outcome, shown at once. Not saved: the decision is durable in the saga journal (COMPLETING or
     * COMPENSATING) already, and the record of the saga's end, a moment later, carries it to the other replicas.
     */
    synchronized boolean decide(OrderStatus outcome, RejectionReason why, Instant at) {
        if (status != OrderStatus.PENDING) {
            return false;
        }
        status = outcome;
        reasonCode = why == null ? null : why.code();
        reason = why == null ? null : why.message();
        updatedAt = at;
        return true;
    }

    /**
     * The saga has ended here: COMPENSATION_FAILED if a compensation could not be done, REJECTED once a retry of one
     * has succeeded; an approved order's confirmation failed or done. Hands {@code save} the order's next revision
     * under its lock, so that revisions are written in order, and returns what the order was before.
     */
    synchronized Before end(boolean compensationFailed, boolean confirmationFailed, Instant at,
                            Consumer<OrderSnapshot> save) {
        Before before = before();
        if (compensationFailed) {
            status = OrderStatus.COMPENSATION_FAILED;
        } else if (status == OrderStatus.COMPENSATION_FAILED) {
            status = OrderStatus.REJECTED;
        }
        this.confirmationFailed = confirmationFailed;
        updatedAt = at;
        sagaEnded = true;
        revision++;
        save.accept(new OrderSnapshot(order, flow, status, reasonCode, reason, steps, sagaEnded, updatedAt, idempotencyKey,
                requestHash, revision, confirmationFailed, traceparent));
        return before;
    }

    synchronized OrderView view() {
        return new OrderView(order.orderId(), status, reasonCode, reason, order.total(), order.currency(), order.items(),
                order.customerId(), order.customerEmail(), order.createdAt(), updatedAt, sagaEnded, flow,
                List.copyOf(steps));
    }
}
