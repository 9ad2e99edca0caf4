package dev.ordersaga.fault;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether every live orchestrator replica answers {@code GET /api/orders/{id}} with the same status for every order:
 * a client may be sent to any replica, so all must tell it the same. Replicas learn about orders through Kafka, a
 * moment apart, so disagreement is given a short while to settle before it counts.
 */
final class ReplicaAgreement {

    private static final Duration POLL = Duration.ofMillis(500);

    private final OrderClient client;

    ReplicaAgreement(OrderClient client) {
        this.client = client;
    }

    /**
     * Asks every replica for every order, again for those they disagree on, until they agree or {@code settle} has
     * passed.
     *
     * @return one line per order the replicas still disagree on, e.g. {@code "o-1: orchestrator-1 APPROVED,
     * orchestrator-3 404"}
     */
    List<String> disagreements(Collection<String> orderIds, List<AppProcess> replicas, Duration settle)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + settle.toNanos();
        List<String> open = new ArrayList<>(orderIds);
        Map<String, Map<String, String>> lastSeen = new LinkedHashMap<>();
        while (true) {
            List<String> disagreed = new ArrayList<>();
            for (String orderId : open) {
                Map<String, String> statusByReplica = new LinkedHashMap<>();
                for (AppProcess replica : replicas) {
                    statusByReplica.put(replica.name(), client.status(replica, orderId));
                }
                if (statusByReplica.values().stream().distinct().count() > 1) {
                    disagreed.add(orderId);
                    lastSeen.put(orderId, statusByReplica);
                }
            }
            open = disagreed;
            if (open.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            AppProcess.sleepQuietly(POLL);
        }
        List<String> lines = new ArrayList<>();
        for (String orderId : open) {
            List<String> answers = new ArrayList<>();
            lastSeen.get(orderId).forEach((replica, status) -> answers.add(replica + " " + status));
            lines.add(orderId + ": " + String.join(", ", answers));
        }
        return lines;
    }
}
