package dev.ordersaga.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.OrderViews;
import dev.ordersaga.saga.SagaHandedOverException;
import dev.ordersaga.saga.SagaOwnership;

/**
 * Makes the processors that send one saga command and await its reply. Such a processor is asynchronous: it returns
 * at once, and the exchange goes on when the reply, a timeout or a send failure settles it (see
 * {@link ReplyCorrelator}). A reply other than SUCCESS fails the exchange with a {@link StepFailedException}, which is
 * what makes the Saga EIP compensate.
 */
public final class SagaCommands {

    private final CommandPublisher publisher;
    private final ReplyCorrelator correlator;
    private final SagaOwnership ownership;
    private final OrderViews orders;
    private final Duration replyTimeout;
    private final CommandObserver observer;
    private final Clock clock;

    /** Told how long each command waited for its settlement (its reply, its timeout or its failed send). */
    @FunctionalInterface
    public interface CommandObserver {
        void settled(CommandType type, Settlement.Kind kind, Duration waited);
    }

    public SagaCommands(CommandPublisher publisher, ReplyCorrelator correlator, SagaOwnership ownership,
                        OrderViews orders, Duration replyTimeout, CommandObserver observer, Clock clock) {
        this.publisher = publisher;
        this.correlator = correlator;
        this.ownership = ownership;
        this.orders = orders;
        this.replyTimeout = replyTimeout;
        this.observer = observer;
        this.clock = clock;
    }

    /** Sends {@code type} for the order in the {@code order-id} header, within the exchange's saga. */
    public AsyncProcessor send(CommandType type) {
        return new SendAndAwaitReply(type);
    }

    private final class SendAndAwaitReply extends AsyncProcessorSupport {
        private final CommandType type;

        SendAndAwaitReply(CommandType type) {
            this.type = type;
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            String orderId = exchange.getMessage().getHeader(MessageHeaders.ORDER_ID, String.class);
            String sagaId = exchange.getMessage().getHeader(Exchange.SAGA_LONG_RUNNING_ACTION, String.class);
            Optional<Order> order = orders.order(orderId);
            if (sagaId == null || order.isEmpty()) {
                exchange.setException(new IllegalStateException(
                        type.wireName() + " needs a saga and a known order; saga=" + sagaId + ", order=" + orderId));
                callback.done(true);
                return true;
            }
            String reason = exchange.getMessage().getHeader(MessageHeaders.COMPENSATION_REASON, String.class);
            Command command = Command.of(type, sagaId, order.get(), reason, clock.instant());

            orders.commandSent(orderId, type.wireName());
            long sentAt = System.nanoTime();
            // awaited and sent only while this replica drives the saga: a hand-over ends every wait registered before
            // it, and none is registered after it
            boolean sent = ownership.whileAssigned(sagaId, () -> {
                correlator.expect(command.correlationId(), replyTimeout, settlement -> {
                    observer.settled(type, settlement.kind(), Duration.ofNanos(System.nanoTime() - sentAt));
                    orders.commandEnded(orderId, type.wireName(), settlement.stepStatus(), settlement.detail());
                    if (!settlement.succeeded()) {
                        exchange.setException(new StepFailedException(type, settlement));
                    }
                    callback.done(false);
                });
                publisher.publish(type, command, error -> correlator.sendFailed(command.correlationId(), error));
                return true;
            }).isPresent();
            if (!sent) {
                exchange.setException(new SagaHandedOverException(sagaId));
                callback.done(true);
                return true;
            }
            return false;
        }

        @Override
        public String toString() {
            return "send " + type.wireName() + " and await its reply";
        }
    }
}
