package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.ordersaga.saga.SagaTimers;

/** The sagas' timers take a task for every saga and command in flight, however many, and forget cancelled ones. */
class SagaTimersTest {

    @Test
    void tensOfThousandsOfTimeoutsAreTakenAndACancelledOneLeavesTheQueue() {
        ScheduledThreadPoolExecutor timer = (ScheduledThreadPoolExecutor) SagaTimers.unbounded("test-timer");
        try {
            List<ScheduledFuture<?>> timeouts = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                timeouts.add(timer.schedule(() -> { }, 1, TimeUnit.HOURS));
            }
            assertThat(timer.getQueue()).hasSize(20_000);

            timeouts.forEach(timeout -> timeout.cancel(false));

            assertThat(timer.getQueue()).isEmpty();
        } finally {
            timer.shutdownNow();
        }
    }
}
