package dev.ordersaga.saga;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The timers of sagas: their deadlines, the pauses before a retry, the reply timeouts of the commands they await.
 * There is one task per saga and per command in flight, so the queue must never refuse one: Camel's scheduled pools
 * refuse beyond 1,000 queued tasks (its default profile), and a refused timeout threw out of a step and left its saga
 * without an end. A timeout cancelled by its reply leaves the queue at once instead of waiting there until it falls
 * due.
 */
public final class SagaTimers {

    private SagaTimers() {
    }

    /** A one-thread scheduler with an unbounded queue, on a daemon thread named {@code name-N}. */
    public static ScheduledExecutorService unbounded(String name) {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
