package dev.ordersaga.orders;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.domain.OrderStatus;
import dev.ordersaga.domain.RejectionReason;
import dev.ordersaga.domain.StepView.StepStatus;
import dev.ordersaga.flow.CommandType;
import dev.ordersaga.messaging.SagaMdc;
import dev.ordersaga.messaging.Settlement;
import dev.ordersaga.saga.SagaCommands;
import dev.ordersaga.saga.SagaDecisions;
import dev.ordersaga.saga.SagaOwnership;

/**
 * What the replica that drives a saga changes in its order: each command's progress and the outcome, shown here at
 * once, and the saga's end, written to the store as the order's next revision. A replica that does not drive the
 * order's partition changes nothing ({@link SagaOwnership#whileAssigned}).
 */
public final class SagaProgress implements SagaCommands.CommandObserver, SagaDecisions {

    private static final Logger LOG = LoggerFactory.getLogger(SagaProgress.class);

    private final OrderBook book;
    private final OrderStore store;
    private final SagaOwnership ownership;
    private final Clock clock;

    public SagaProgress(OrderBook book, OrderStore store, SagaOwnership ownership, Clock clock) {
        this.book = book;
        this.store = store;
        this.ownership = ownership;
        this.clock = clock;
    }

    @Override
    public void sent(String orderId, CommandType type, int attempt) {
        book.tracked(orderId).ifPresent(t -> t.step(type.wireName(), attempt, StepStatus.SENT, null,
                clock.instant()));
    }

    @Override
    public void settled(String orderId, CommandType type, int attempt, Settlement settlement, Duration waited) {
        book.tracked(orderId).ifPresent(t -> t.step(type.wireName(), attempt, settlement.stepStatus(),
                settlement.detail(), clock.instant()));
    }

    @Override
    public void completed(String sagaId) {
        decide(sagaId, OrderStatus.APPROVED, null);
    }

    /** @param reason the code of the rejection's reason ({@link RejectionReason}) */
    @Override
    public void compensated(String sagaId, String reason) {
        decide(sagaId, OrderStatus.REJECTED, RejectionReason.of(reason));
    }

    private void decide(String orderId, OrderStatus outcome, RejectionReason reason) {
        book.tracked(orderId).ifPresent(t -> ownership.whileAssigned(orderId, () -> t.decide(outcome, reason,
                clock.instant())));
    }

    /**
     * The saga of this order has ended: its completion or compensation has run. If a compensation could not be
     * done, the order is COMPENSATION_FAILED until a retry succeeds, when it is REJECTED; only then does it count
     * towards retention, so that an order that needs an operator is never forgotten.
     */
    public void sagaEnded(String orderId, boolean compensationFailed) {
        sagaEnded(orderId, compensationFailed, false);
    }

    /**
     * The same, for an approved order whose confirmation may have failed every attempt: recorded on the order, so that
     * every replica can take a retry of it.
     */
    public void sagaEnded(String orderId, boolean compensationFailed, boolean confirmationFailed) {
        book.tracked(orderId).ifPresent(t -> ownership.whileAssigned(orderId, () -> {
            TrackedOrder.Before before = t.end(compensationFailed, confirmationFailed, clock.instant(), snapshot ->
                    store.save(snapshot).exceptionally(error -> {
                        try (SagaMdc ids = SagaMdc.forSaga(orderId)) {
                            LOG.warn("Order {} could not be saved: {}", orderId, error.getMessage());
                        }
                        return null;
                    }));
            book.changed(t, before);
            return null;
        }));
    }
}
