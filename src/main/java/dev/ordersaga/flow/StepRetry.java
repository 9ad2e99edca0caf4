package dev.ordersaga.flow;

import java.time.Duration;
import java.util.Optional;

/**
 * How a step inside the saga is sent again after a transient failure (no reply within {@code replyTimeout}, a
 * retryable FAILURE, a send Kafka refused): the same command, under the same correlation id, after a backoff that
 * doubles from {@code firstBackoff} up to {@code maxBackoff}, until the saga's deadline. Unset values take the
 * defaults of config ({@code saga.step-timeout}, {@code saga.retry.first-delay}, {@code saga.retry.max-delay}).
 */
public record StepRetry(Optional<Duration> replyTimeout, Optional<Duration> firstBackoff,
                        Optional<Duration> maxBackoff) {

    /** Every value from config. */
    public static final StepRetry DEFAULTS = new StepRetry(Optional.empty(), Optional.empty(), Optional.empty());

    /** A participant that may take this long to answer each attempt. */
    public static StepRetry replyWithin(Duration replyTimeout) {
        return new StepRetry(Optional.of(replyTimeout), Optional.empty(), Optional.empty());
    }

    /** Attempts that many apart at first, doubling up to {@code max}. */
    public StepRetry backoff(Duration first, Duration max) {
        return new StepRetry(replyTimeout, Optional.of(first), Optional.of(max));
    }
}
