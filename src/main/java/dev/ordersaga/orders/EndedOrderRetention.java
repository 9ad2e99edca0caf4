package dev.ordersaga.orders;

import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the ended orders up to a bound ({@code orders.retained-ended}) and names the oldest to forget beyond it, so
 * that memory stays bounded however many orders pass through. Orders that need an operator (COMPENSATION_FAILED)
 * never enter it, so are never forgotten.
 */
final class EndedOrderRetention {

    private final ConcurrentLinkedQueue<String> oldestFirst = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int retained;

    EndedOrderRetention(int retained) {
        if (retained < 1) {
            throw new IllegalArgumentException("retained must be at least 1, was " + retained);
        }
        this.retained = retained;
    }

    /** An order turned final; returns the oldest final order to forget, when there are more than the bound. */
    Optional<String> ended(String orderId) {
        oldestFirst.add(orderId);
        if (count.incrementAndGet() <= retained) {
            return Optional.empty();
        }
        String oldest = oldestFirst.poll();
        if (oldest == null) {
            return Optional.empty();
        }
        count.decrementAndGet();
        return Optional.of(oldest);
    }
}
