package dev.ordersaga.saga;

import java.time.Duration;

/**
 * How often and how patiently a completion or compensation endpoint is called again after it fails: exponential
 * backoff from {@code firstDelay}, capped at {@code maxDelay}, at most {@code maxAttempts} calls in all.
 */
public record FinalizeRetryPolicy(int maxAttempts, Duration firstDelay, Duration maxDelay) {

    public FinalizeRetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    /** The pause before attempt {@code attempt + 1}, after {@code attempt} failed calls (attempt counts from 1). */
    public Duration delayAfter(int attempt) {
        long millis = firstDelay.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }
}
