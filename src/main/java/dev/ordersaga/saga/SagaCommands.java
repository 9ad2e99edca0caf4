package dev.ordersaga.saga;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import dev.ordersaga.domain.Order;
import dev.ordersaga.flow.CommandType;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.CommandChannel;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.messaging.ReplyCorrelator;
import dev.ordersaga.messaging.Settlement;
import dev.ordersaga.messaging.StepFailedException;

/**
 * Makes the processors that send one saga command and await its reply. Such a processor is asynchronous: it returns
 * at once, and the exchange goes on when the reply, a timeout or a send failure settles it (see
 * {@link ReplyCorrelator}). A reply other than SUCCESS fails the exchange with a {@link StepFailedException}, which is
 * what makes the Saga EIP compensate.
 */
public final class SagaCommands {

    private final CommandChannel channel;
    private final ReplyCorrelator correlator;
    private final SagaOwnership ownership;
    private final Function<String, Optional<Order>> orders;
    private final Duration replyTimeout;
    private final CommandObserver observer;
    private final Clock clock;

    /** Told of each command sent, and of how it settled: its reply, its timeout or its failed send. */
    public interface CommandObserver {
        void sent(String orderId, CommandType type);

        void settled(String orderId, CommandType type, Settlement settlement, Duration waited);

        /** Tells both, this one first. */
        default CommandObserver andThen(CommandObserver next) {
            CommandObserver first = this;
            return new CommandObserver() {
                @Override
                public void sent(String orderId, CommandType type) {
                    first.sent(orderId, type);
                    next.sent(orderId, type);
                }

                @Override
                public void settled(String orderId, CommandType type, Settlement settlement, Duration waited) {
                    first.settled(orderId, type, settlement, waited);
                    next.settled(orderId, type, settlement, waited);
                }
            };
        }
    }

    /** @param orders the order a saga works on, by its id: what every command carries */
    public SagaCommands(CommandChannel channel, ReplyCorrelator correlator, SagaOwnership ownership,
                        Function<String, Optional<Order>> orders, Duration replyTimeout, CommandObserver observer,
                        Clock clock) {
        this.channel = channel;
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
            Optional<Order> order = orderId == null ? Optional.empty() : orders.apply(orderId);
            if (sagaId == null || order.isEmpty()) {
                exchange.setException(new IllegalStateException(
                        type.wireName() + " needs a saga and a known order; saga=" + sagaId + ", order=" + orderId));
                callback.done(true);
                return true;
            }
            String reason = exchange.getMessage().getHeader(MessageHeaders.COMPENSATION_REASON, String.class);
            Command command = Command.of(type, sagaId, order.get(), reason, clock.instant());

            observer.sent(orderId, type);
            long sentAt = System.nanoTime();
            // awaited and sent only while this replica drives the saga: a hand-over ends every wait registered before
            // it, and none is registered after it
            boolean sent = ownership.whileAssigned(sagaId, () -> {
                correlator.expect(command.correlationId(), replyTimeout, settlement -> {
                    observer.settled(orderId, type, settlement, Duration.ofNanos(System.nanoTime() - sentAt));
                    if (!settlement.succeeded()) {
                        exchange.setException(new StepFailedException(type, settlement));
                    }
                    callback.done(false);
                });
                channel.publish(type, command, error -> correlator.sendFailed(command.correlationId(), error));
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
