package dev.ordersaga.fault;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Who owns the reply topic's partitions, as the orchestrator replicas report it: each exposes on its management port,
 * in the Prometheus text at {@code /observe/metrics}, the gauge {@value #METRIC}, the number of reply-topic partitions
 * it owns and has finished recovering. Over the live replicas these add up to the partition count once every
 * partition has a working owner again: that moment ends a takeover.
 */
final class PartitionOwnership {

    static final String METRIC = "ordersaga_partitions_owned";
    private static final Pattern SAMPLE = Pattern.compile("(?m)^" + METRIC + "(?:\\{[^}]*})?\\s+(\\S+)");
    private static final Duration POLL = Duration.ofMillis(100);
    /**
     * How long live replicas may answer their metrics without the gauge before it counts as not exposed at all, not
     * just late: a replica registers its gauges as it starts, so a few seconds is plenty, and it keeps a harness run
     * against replicas that lack the gauge from waiting out every bound.
     */
    private static final Duration MISSING_FOR = Duration.ofSeconds(5);

    /**
     * The end of a wait for full ownership.
     *
     * @param after   how long after the event every partition was owned again; null when it never was in the wait
     * @param owners  who owned how many then, e.g. "orchestrator-2 owns 6, orchestrator-3 owns 6"
     * @param failure why not, when {@code after} is null
     */
    record Takeover(Duration after, String owners, String failure) {

        static Takeover failed(String why) {
            return new Takeover(null, null, why);
        }

        boolean within(Duration bound) {
            return after != null && after.compareTo(bound) <= 0;
        }

        @Override
        public String toString() {
            return after == null ? "never: " + failure : seconds(after) + " (" + owners + ")";
        }
    }

    /**
     * One replica's answer: its gauge, or why there is none.
     *
     * @param gaugeMissing the replica answered its metrics, without the gauge
     */
    private record Reading(String replica, Integer owned, boolean gaugeMissing, String problem) {

        static Reading owns(String replica, int owned) {
            return new Reading(replica, owned, false, null);
        }

        static Reading unknown(String replica, boolean gaugeMissing, String problem) {
            return new Reading(replica, null, gaugeMissing, problem);
        }

        @Override
        public String toString() {
            return replica + " " + (owned != null ? "owns " + owned : problem);
        }
    }

    private final int partitions;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    /** @param partitions the reply topic's partition count, which the live replicas must own between them */
    PartitionOwnership(int partitions) {
        this.partitions = partitions;
    }

    /**
     * Polls the live replicas (every 100 ms) until their gauges add up to the partition count, and each replica of
     * {@code mustOwnSome} owns at least one partition.
     *
     * @param live        the replicas that count, asked again on each poll
     * @param since       {@link System#nanoTime()} of the event the wait measures from
     * @param patience    how long after {@code since} to keep polling
     * @param mustOwnSome replicas that must have a share (one started again, say), not just the sum be complete
     */
    Takeover awaitAllOwned(Supplier<List<AppProcess>> live, long since, Duration patience,
                           Collection<AppProcess> mustOwnSome) {
        Set<String> mustOwn = mustOwnSome.stream().map(AppProcess::name).collect(Collectors.toSet());
        long deadline = since + patience.toNanos();
        long missingSince = -1;
        List<Reading> readings = List.of();
        while (System.nanoTime() < deadline) {
            readings = read(live.get());
            int owned = readings.stream().mapToInt(r -> r.owned() == null ? 0 : r.owned()).sum();
            long sharing = readings.stream()
                    .filter(r -> mustOwn.contains(r.replica()) && r.owned() != null && r.owned() > 0).count();
            if (owned == partitions && sharing == mustOwn.size()) {
                return new Takeover(Duration.ofNanos(System.nanoTime() - since), describe(readings), null);
            }
            boolean noneExposesIt = !readings.isEmpty() && readings.stream().allMatch(Reading::gaugeMissing);
            if (!noneExposesIt) {
                missingSince = -1;
            } else if (missingSince < 0) {
                missingSince = System.nanoTime();
            } else if (System.nanoTime() - missingSince > MISSING_FOR.toNanos()) {
                return Takeover.failed("no live replica exposes the gauge " + METRIC + " on /observe/metrics ("
                        + readings.stream().map(Reading::replica).toList() + ")");
            }
            AppProcess.sleepQuietly(POLL);
        }
        return Takeover.failed("not all " + partitions + " partitions owned"
                + (mustOwn.isEmpty() ? "" : " with a share for each of " + mustOwn) + " within "
                + seconds(patience) + ": " + describe(readings));
    }

    private List<Reading> read(List<AppProcess> replicas) {
        List<Reading> readings = new ArrayList<>();
        for (AppProcess replica : replicas) {
            readings.add(read(replica));
        }
        return readings;
    }

    private Reading read(AppProcess replica) {
        try {
            HttpResponse<String> response = http.send(replica.managementRequest("/observe/metrics")
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Reading.unknown(replica.name(), false, "metrics answered " + response.statusCode());
            }
            Matcher sample = SAMPLE.matcher(response.body());
            double owned = 0;
            boolean found = false;
            while (sample.find()) {
                owned += Double.parseDouble(sample.group(1));
                found = true;
            }
            return found ? Reading.owns(replica.name(), (int) owned)
                    : Reading.unknown(replica.name(), true, "has no " + METRIC);
        } catch (IOException e) {
            return Reading.unknown(replica.name(), false, "metrics unreachable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String describe(List<Reading> readings) {
        return readings.isEmpty() ? "no live replica"
                : String.join(", ", readings.stream().map(Reading::toString).toList());
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
