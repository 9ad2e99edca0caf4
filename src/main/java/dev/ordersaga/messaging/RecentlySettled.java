package dev.ordersaga.messaging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers how the last N awaited commands settled, so that a reply nobody waits for any more can be told apart:
 * late (its wait had timed out), duplicate (it was answered already) or unknown. Also keeps the replies that came before their waiter. Bounded: the oldest are forgotten.
 */
final class RecentlySettled {

    private final Map<String, Settlement.Kind> settled;
    private final Map<String, Reply> unclaimed;

    RecentlySettled(int capacity) {
        this.settled = bounded(capacity);
        this.unclaimed = bounded(capacity);
    }

    /**
     * Keeps a reply that came before anyone awaited it: after a restart, the replies to commands sent before the
     * crash are read again before the recovered sagas send those commands again.
     */
    synchronized void keepUnclaimed(Reply reply) {
        unclaimed.put(reply.correlationId(), reply);
    }

    synchronized Reply claim(String correlationId) {
        return unclaimed.remove(correlationId);
    }

    private static <V> Map<String, V> bounded(int capacity) {
        return new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void remember(String correlationId, Settlement.Kind kind) {
        settled.put(correlationId, kind);
    }

    synchronized Settlement.Kind lookup(String correlationId) {
        return settled.get(correlationId);
    }
}
