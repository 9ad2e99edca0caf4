package dev.ordersaga.saga;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.RejectionReason;
import dev.ordersaga.flow.CommandType;
import dev.ordersaga.flow.StepRetry;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.CommandChannel;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.messaging.ReplyCorrelator;
import dev.ordersaga.messaging.Settlement;
import dev.ordersaga.messaging.StepFailedException;
import dev.ordersaga.trace.SpanAttributes;

/**
 * Makes the processors that send one saga command and await its reply. Such a processor is asynchronous: it returns
 * at once, and the exchange goes on when the command is settled (see {@link ReplyCorrelator}); no thread waits.
 * <ul>
 * <li>A step inside the saga ({@link #sendUntilAnswered}) is sent again after a transient failure (no reply within
 * its reply timeout, a retryable FAILURE, a send Kafka refused), the same command under the same correlation id, with
 * backoff, for as long as the saga runs: until its deadline compensates it. Only a business FAILURE fails the step
 * at once. Each attempt is told to the observer.</li>
 * <li>A command sent by a completion or compensation ({@link #send}) is tried once: the saga service calls its
 * endpoint again with backoff when it fails ({@link FinalizeRetryPolicy}).</li>
 * </ul>
 * A failure fails the exchange with a {@link StepFailedException}, which is what makes the Saga EIP compensate.
 */
public final class SagaCommands {

    /** Config's defaults of {@link StepRetry}, and the reply timeout of commands tried once. */
    public record RetryDefaults(Duration replyTimeout, Duration firstBackoff, Duration maxBackoff) {

        Duration replyTimeout(StepRetry retry) {
            return retry.replyTimeout().orElse(replyTimeout);
        }

        /** The pause before attempt {@code attempt + 1}: doubling from the first backoff, at most the maximum. */
        Duration backoff(StepRetry retry, int attempt) {
            long first = retry.firstBackoff().orElse(firstBackoff).toMillis();
            long max = retry.maxBackoff().orElse(maxBackoff).toMillis();
            return Duration.ofMillis(Math.min(first << Math.min(attempt - 1, 20), max));
        }
    }

    private final CommandChannel channel;
    private final ReplyCorrelator correlator;
    private final SagaOwnership ownership;
    private final Function<String, Optional<Order>> orders;
    private final RetryDefaults defaults;
    private final Predicate<String> sagaRunning;
    private final ScheduledExecutorService timer;
    private final Executor attempts;
    private final CommandObserver observer;
    private final SagaTraces traces;
    private final Clock clock;

    /** Told of each attempt of a command sent, and of how it settled: its reply, its timeout or its failed send. */
    public interface CommandObserver {
        void sent(String orderId, CommandType type, int attempt);

        void settled(String orderId, CommandType type, int attempt, Settlement settlement, Duration waited);

        /** Tells both, this one first. */
        default CommandObserver andThen(CommandObserver next) {
            CommandObserver first = this;
            return new CommandObserver() {
                @Override
                public void sent(String orderId, CommandType type, int attempt) {
                    first.sent(orderId, type, attempt);
                    next.sent(orderId, type, attempt);
                }

                @Override
                public void settled(String orderId, CommandType type, int attempt, Settlement settlement,
                                    Duration waited) {
                    first.settled(orderId, type, attempt, settlement, waited);
                    next.settled(orderId, type, attempt, settlement, waited);
                }
            };
        }
    }

    /**
     * @param orders      the order a saga works on, by its id: what every command carries
     * @param sagaRunning whether a saga still runs its steps here (not decided, nor handed over): a step is sent
     *                    again only while it does
     * @param timer       where the pause before an attempt is waited out
     * @param attempts    where an attempt after a pause runs: not on the timer's thread, since a send can block (up
     *                    to the producer's max-block when a topic's metadata is missing) and would hold up every
     *                    reply timeout behind it
     * @param traces      each command is a span of its saga's trace, from its first attempt to its settlement; each
     *                    attempt's send is a child of it
     */
    public SagaCommands(CommandChannel channel, ReplyCorrelator correlator, SagaOwnership ownership,
                        Function<String, Optional<Order>> orders, RetryDefaults defaults,
                        Predicate<String> sagaRunning, ScheduledExecutorService timer, Executor attempts,
                        CommandObserver observer, SagaTraces traces, Clock clock) {
        this.channel = channel;
        this.correlator = correlator;
        this.ownership = ownership;
        this.orders = orders;
        this.defaults = defaults;
        this.sagaRunning = sagaRunning;
        this.timer = timer;
        this.attempts = attempts;
        this.observer = observer;
        this.traces = traces;
        this.clock = clock;
    }

    /** A step inside the saga: sent again after each transient failure, until the saga's deadline. */
    public AsyncProcessor sendUntilAnswered(CommandType type, StepRetry retry) {
        return new SendAndAwaitReply(type, retry, true);
    }

    /** A command of a completion or compensation: tried once (the saga service retries its endpoint). */
    public AsyncProcessor send(CommandType type) {
        return new SendAndAwaitReply(type, StepRetry.DEFAULTS, false);
    }

    private final class SendAndAwaitReply extends AsyncProcessorSupport {
        private final CommandType type;
        private final StepRetry retry;
        private final boolean untilAnswered;

        SendAndAwaitReply(CommandType type, StepRetry retry, boolean untilAnswered) {
            this.type = type;
            this.retry = retry;
            this.untilAnswered = untilAnswered;
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
            String reasonCode = exchange.getMessage().getHeader(MessageHeaders.COMPENSATION_REASON, String.class);
            Command command = Command.of(type, sagaId, order.get(),
                    reasonCode == null ? null : RejectionReason.of(reasonCode), clock.instant());
            Span span = traces.step(sagaId, type, untilAnswered ? "step"
                    : type.phase() == CommandType.Phase.UNDO ? "compensation" : "finalize");
            new Attempts(exchange, callback, orderId, sagaId, command, span).attempt(1);
            return false;
        }

        @Override
        public String toString() {
            return (untilAnswered ? "send " + type.wireName() + " until answered" : "send " + type.wireName())
                    + " and await its reply";
        }

        /** The attempts of one command of one saga. */
        private final class Attempts {
            private final Exchange exchange;
            private final AsyncCallback callback;
            private final String orderId;
            private final String sagaId;
            private final Command command;
            private final Span span;

            Attempts(Exchange exchange, AsyncCallback callback, String orderId, String sagaId, Command command,
                     Span span) {
                this.exchange = exchange;
                this.callback = callback;
                this.orderId = orderId;
                this.sagaId = sagaId;
                this.command = command;
                this.span = span;
            }

            void attempt(int attempt) {
                if (untilAnswered && !sagaRunning.test(sagaId)) {
                    // its deadline passed (the saga is compensating), or it went to another replica: no more sends
                    fail(new IllegalStateException("Saga " + sagaId + " no longer runs its steps: " + type.wireName()
                            + " is not sent"));
                    return;
                }
                observer.sent(orderId, type, attempt);
                span.setAttribute(SpanAttributes.ATTEMPTS, attempt);
                long sentAt = System.nanoTime();
                // awaited and sent only while this replica drives the saga: a hand-over ends every wait registered
                // before it, and none is registered after it; the send's span is a child of this command's
                boolean sent;
                try (Scope current = span.makeCurrent()) {
                    sent = ownership.whileAssigned(sagaId, () -> {
                        correlator.expect(command.correlationId(), defaults.replyTimeout(retry), settlement ->
                                settled(attempt, settlement, Duration.ofNanos(System.nanoTime() - sentAt)));
                        channel.publish(type, command).whenComplete((written, error) -> {
                            if (error != null) {
                                correlator.sendFailed(command.correlationId(), error);
                            } else {
                                correlator.delivered(command.correlationId());
                            }
                        });
                        return true;
                    }).isPresent();
                }
                if (!sent) {
                    fail(new SagaHandedOverException(sagaId));
                }
            }

            private void settled(int attempt, Settlement settlement, Duration waited) {
                observer.settled(orderId, type, attempt, settlement, waited);
                span.addEvent("settled", Attributes.of(SpanAttributes.ATTEMPT, (long) attempt,
                        SpanAttributes.OUTCOME, settlement.succeeded() ? "SUCCESS" : settlement.stepStatus().name()));
                if (settlement.succeeded()) {
                    span.setAttribute(SpanAttributes.OUTCOME, "SUCCESS");
                    span.end();
                    callback.done(false);
                } else if (untilAnswered && settlement.isTransient() && sagaRunning.test(sagaId)) {
                    timer.schedule(() -> attempts.execute(() -> attempt(attempt + 1)),
                            defaults.backoff(retry, attempt).toMillis(),
                            TimeUnit.MILLISECONDS);
                } else {
                    fail(new StepFailedException(type, settlement));
                }
            }

            private void fail(RuntimeException failure) {
                span.setAttribute(SpanAttributes.OUTCOME, "FAILURE");
                span.setStatus(StatusCode.ERROR, failure.getMessage());
                span.end();
                exchange.setException(failure);
                callback.done(false);
            }
        }
    }
}
