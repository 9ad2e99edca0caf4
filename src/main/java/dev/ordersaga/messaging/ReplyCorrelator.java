package dev.ordersaga.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches replies to the commands that await them, by correlation id, without a thread per waiting command: a waiter
 * is a callback in a map, with a timer entry for its timeout. Whichever comes first, reply, timeout or send failure,
 * settles the waiter exactly once; the callback then runs on the continuation executor, never on the Kafka consumer
 * thread that delivered the reply. Replies nobody waits for are counted by kind and dropped; one that nobody ever
 * awaited is also kept a while, for the recovered saga that is about to send its command again.
 */
public final class ReplyCorrelator {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyCorrelator.class);

    private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();
    private final RecentlySettled recentlySettled;
    private final ScheduledExecutorService timer;
    private final Executor continuations;
    private final AtomicLong lateReplies = new AtomicLong();
    private final AtomicLong duplicateReplies = new AtomicLong();
    private final AtomicLong unknownReplies = new AtomicLong();

    public ReplyCorrelator(ScheduledExecutorService timer, Executor continuations, int rememberedSettlements) {
        this.timer = timer;
        this.continuations = continuations;
        this.recentlySettled = new RecentlySettled(rememberedSettlements);
    }

    /**
     * Registers a waiter for the reply to {@code correlationId}. Call this before sending the command: the reply can
     * arrive before the send returns. Its {@code timeout} runs from the command's delivery ({@link #delivered}): no
     * participant can answer a command Kafka does not have yet, so the time a send waits out an outage of the broker
     * is not counted against the participant (the send itself ends within the producer's delivery timeout).
     */
    public void expect(String correlationId, Duration timeout, Consumer<Settlement> onSettled) {
        Waiter waiter = new Waiter(onSettled, timeout);
        Waiter previous = waiting.get(correlationId);
        if (previous != null) {
            // the same command sent again while its first send still waits: the older wait ends, never hangs
            settle(correlationId, previous, Settlement.notSent(new IllegalStateException("sent again")));
        }
        waiting.put(correlationId, waiter);
        Reply early = recentlySettled.claim(correlationId);
        if (early != null) {
            // the same command was answered before (this is a recovered saga sending it again): that answer stands
            settle(correlationId, waiter, Settlement.replied(early));
        }
    }

    /** Kafka has the command: its reply is awaited for the waiter's timeout from now. */
    public void delivered(String correlationId) {
        Waiter waiter = waiting.get(correlationId);
        if (waiter != null) {
            waiter.startTimeout(timer, () -> settle(correlationId, waiter, Settlement.timedOut(waiter.replyTimeout)));
        }
    }

    /** The command could not be handed to Kafka. */
    public void sendFailed(String correlationId, Throwable cause) {
        Waiter waiter = waiting.get(correlationId);
        if (waiter != null) {
            settle(correlationId, waiter, Settlement.notSent(cause));
        }
    }

    /**
     * Ends the waits of the commands of sagas this replica let go of, at once: they fail their exchanges, whose
     * sagas do nothing more here (another replica sends the commands again).
     */
    public void handOver(Predicate<String> sagaIds) {
        waiting.forEach((correlationId, waiter) -> {
            if (sagaIds.test(CorrelationIds.sagaIdOf(correlationId))) {
                settle(correlationId, waiter, Settlement.handedOver());
            }
        });
    }

    /** @return true if a waiter took the reply, false if it was dropped (and counted) */
    public boolean deliver(Reply reply) {
        String correlationId = reply.correlationId();
        Waiter waiter = correlationId == null ? null : waiting.get(correlationId);
        if (waiter != null && settle(correlationId, waiter, Settlement.replied(reply))) {
            return true;
        }
        try (SagaMdc ignored = SagaMdc.forCommand(correlationId)) {
            countDropped(correlationId, reply);
        }
        return false;
    }

    public int waitingCount() {
        return waiting.size();
    }

    public DroppedReplies droppedReplies() {
        return new DroppedReplies(lateReplies.get(), duplicateReplies.get(), unknownReplies.get());
    }

    private boolean settle(String correlationId, Waiter waiter, Settlement settlement) {
        if (!waiting.remove(correlationId, waiter)) {
            return false;
        }
        waiter.cancelTimeout();
        recentlySettled.remember(correlationId, settlement.kind());
        continuations.execute(() -> {
            try (SagaMdc ignored = SagaMdc.forCommand(correlationId)) {
                waiter.onSettled.accept(settlement);
            }
        });
        return true;
    }

    private void countDropped(String correlationId, Reply reply) {
        Settlement.Kind earlier = correlationId == null ? null : recentlySettled.lookup(correlationId);
        if (earlier == Settlement.Kind.TIMED_OUT || earlier == Settlement.Kind.NOT_SENT
                || earlier == Settlement.Kind.HANDED_OVER) {
            lateReplies.incrementAndGet();
            LOG.info("Dropped late reply {}: its wait had ended", correlationId);
        } else if (earlier == Settlement.Kind.REPLIED) {
            duplicateReplies.incrementAndGet();
            LOG.info("Dropped duplicate reply {}", correlationId);
        } else {
            unknownReplies.incrementAndGet();
            if (correlationId != null && !reply.retryable()) {
                recentlySettled.keepUnclaimed(reply);
            }
            LOG.info("Dropped reply {}: no command awaits it (kept in case it is sent again)", correlationId);
        }
    }

    /** Counts of replies that nobody awaited. */
    public record DroppedReplies(long late, long duplicate, long unknown) {
    }

    private static final class Waiter {
        final Consumer<Settlement> onSettled;
        final Duration replyTimeout;
        private ScheduledFuture<?> timeout;
        private boolean ended;

        Waiter(Consumer<Settlement> onSettled, Duration replyTimeout) {
            this.onSettled = onSettled;
            this.replyTimeout = replyTimeout;
        }

        synchronized void startTimeout(ScheduledExecutorService timer, Runnable onTimeout) {
            if (!ended && timeout == null) {
                timeout = timer.schedule(onTimeout, replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        synchronized void cancelTimeout() {
            ended = true;
            if (timeout != null) {
                timeout.cancel(false);
            }
        }
    }
}
