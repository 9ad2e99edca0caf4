package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.ordersaga.messaging.Reply;
import dev.ordersaga.messaging.ReplyCorrelator;
import dev.ordersaga.messaging.Settlement;

/** Replies matched to their waiters once and only once; what nobody awaits is counted by kind. */
class ReplyCorrelatorTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ReplyCorrelator correlator = new ReplyCorrelator(timer, Runnable::run, 100);
    private final List<Settlement> settled = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void aReplySettlesItsWaiterOnceAndARepeatIsCountedAsDuplicate() {
        correlator.expect("s:step:do", Duration.ofSeconds(5), settled::add);

        assertThat(correlator.deliver(reply("s:step:do"))).isTrue();
        assertThat(correlator.deliver(reply("s:step:do"))).isFalse();

        assertThat(settled).hasSize(1);
        assertThat(settled.get(0).succeeded()).isTrue();
        assertThat(correlator.droppedReplies()).isEqualTo(new ReplyCorrelator.DroppedReplies(0, 1, 0));
        assertThat(correlator.waitingCount()).isZero();
    }

    @Test
    void aWaiterWithoutReplyTimesOutAndItsLateReplyIsCountedAsLate() {
        correlator.expect("s:step:do", Duration.ofMillis(50), settled::add);
        correlator.delivered("s:step:do");

        await().atMost(Duration.ofSeconds(5)).until(() -> settled.size() == 1);
        assertThat(settled.get(0).kind()).isEqualTo(Settlement.Kind.TIMED_OUT);

        assertThat(correlator.deliver(reply("s:step:do"))).isFalse();
        assertThat(correlator.droppedReplies()).isEqualTo(new ReplyCorrelator.DroppedReplies(1, 0, 0));
        assertThat(settled).hasSize(1);
    }

    @Test
    void theReplyTimeoutRunsOnlyOnceKafkaHasTheCommand() {
        ScheduledThreadPoolExecutor timeouts = new ScheduledThreadPoolExecutor(1);
        timeouts.setRemoveOnCancelPolicy(true);
        try {
            ReplyCorrelator waitingOnKafka = new ReplyCorrelator(timeouts, Runnable::run, 100);
            waitingOnKafka.expect("s:step:do", Duration.ofSeconds(5), settled::add);
            assertThat(timeouts.getQueue()).as("no timeout runs while the send waits for the broker").isEmpty();

            waitingOnKafka.delivered("s:step:do");
            assertThat(timeouts.getQueue()).hasSize(1);

            waitingOnKafka.deliver(reply("s:step:do"));
            assertThat(settled).singleElement().extracting(Settlement::succeeded).isEqualTo(true);
            assertThat(timeouts.getQueue()).as("the timeout ends with its wait").isEmpty();
            waitingOnKafka.delivered("s:step:do");
            assertThat(timeouts.getQueue()).as("a delivery told after the reply starts nothing").isEmpty();
        } finally {
            timeouts.shutdownNow();
        }
    }

    @Test
    void aReplyNobodyEverAwaitedIsCountedAsUnknown() {
        assertThat(correlator.deliver(reply("nobody:step:do"))).isFalse();

        assertThat(correlator.droppedReplies()).isEqualTo(new ReplyCorrelator.DroppedReplies(0, 0, 1));
    }

    @Test
    void aReplyThatCameBeforeItsWaiterSettlesTheWaiterAtOnce() {
        correlator.deliver(reply("recovered:step:do"));

        correlator.expect("recovered:step:do", Duration.ofSeconds(5), settled::add);

        assertThat(settled).hasSize(1);
        assertThat(settled.get(0).succeeded()).isTrue();
        assertThat(correlator.waitingCount()).isZero();
    }

    @Test
    void aSendFailureSettlesTheWaiterAsNotSent() {
        correlator.expect("s:step:do", Duration.ofSeconds(5), settled::add);

        correlator.sendFailed("s:step:do", new IllegalStateException("broker down"));

        assertThat(settled).hasSize(1);
        assertThat(settled.get(0).kind()).isEqualTo(Settlement.Kind.NOT_SENT);
        assertThat(settled.get(0).detail()).contains("broker down");
    }

    @Test
    void thousandsOfWaitersNeedNoThreadEach() {
        int threadsBefore = Thread.activeCount();
        for (int i = 0; i < 5_000; i++) {
            correlator.expect("s" + i + ":step:do", Duration.ofSeconds(30), settled::add);
        }
        assertThat(correlator.waitingCount()).isEqualTo(5_000);
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 1);

        for (int i = 0; i < 5_000; i++) {
            correlator.deliver(reply("s" + i + ":step:do"));
        }
        assertThat(settled).hasSize(5_000);
        assertThat(correlator.waitingCount()).isZero();
    }

    private static Reply reply(String correlationId) {
        return new Reply(correlationId, "s", "s", "CreateOrder", Reply.Outcome.SUCCESS, null, null, false, "order-service",
                Instant.now());
    }
}
