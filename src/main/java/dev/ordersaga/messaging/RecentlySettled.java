package dev.ordersaga.messaging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers how the last N awaited commands settled, so that a reply nobody waits for any more can be told apart:
 * late (its wait had timed out), duplicate (it was answered already) or unknown. Bounded: the oldest are forgotten.
 */
final class RecentlySettled {

    private final Map<String, Settlement.Kind> settled;

    RecentlySettled(int capacity) {
        this.settled = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Settlement.Kind> eldest) {
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
