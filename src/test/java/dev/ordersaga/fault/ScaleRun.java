package dev.ordersaga.fault;

import static dev.ordersaga.fault.PartitionOwnership.seconds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ordersaga.fault.PartitionOwnership.Takeover;
import dev.ordersaga.testsupport.FreePort;

/**
 * The scale audit: several orchestrator replicas share the sagas by Kafka partition assignment, and take over from
 * one that dies. The broker and the four participants run in one process, three orchestrator replicas in three
 * others. Orders arrive at a steady rate, spread round-robin over the replicas' APIs, while this happens, in order:
 * <ol>
 * <li>{@code kill -9} of orchestrator-1; the time until the survivors own all the reply topic's partitions again is
 * the takeover time;</li>
 * <li>orchestrator-1 started again, with the same instance id: how long until it is ready, and until it owns
 * partitions again;</li>
 * <li>SIGTERM of orchestrator-2, a graceful scale-down: it stays stopped; the time until the others own all
 * partitions is the takeover time after SIGTERM.</li>
 * </ol>
 * A portion of the orders arrives before each event, during it and after the last. Then, through a live replica's
 * API and the participants' /demo views, the audit of {@link OrderAudit} (every order APPROVED or REJECTED, effects
 * exactly matching, nothing applied twice, stock never negative), and: every live replica answers the same status
 * for every order; the participants saw no order that no client was given (an Idempotency-Key that started a second
 * saga); each takeover within its bound.
 * <p>
 * {@code java ... dev.ordersaga.fault.ScaleRun [orders] [concurrency] [ordersPerSecond] [killBoundSeconds]
 * [sigtermBoundSeconds]}; exits 1 on any violation. {@code ScaleTest} runs a short form in the test suite,
 * {@code scripts/scale-test.sh} the long form.
 */
public final class ScaleRun {

    static final int REPLICAS = 3;
    static final int PARTITIONS = 12;
    private static final Duration READY = Duration.ofSeconds(90);
    /** The saga timeout (30 s), compensations retried for up to a minute, and a takeover. */
    private static final Duration SAGAS_END = Duration.ofMinutes(2);
    private static final Duration REPLICAS_SETTLE = Duration.ofSeconds(10);
    /**
     * Share of the orders accepted before each event (kill -9, restart, SIGTERM); the orders up to the next event's
     * share keep arriving while it happens, so that no event falls into a pause of the load.
     */
    private static final double[] ACCEPTED_BEFORE = {0.25, 0.5, 0.75};
    /** Violations printed in full; the rest are counted (a broken run can have one per order and replica). */
    private static final int VIOLATIONS_SHOWN = 40;

    /**
     * What the audit found.
     *
     * @param unknownOrders       orders the participants acted on that no client was given an id for
     * @param replicaMismatches   orders the live replicas answer with different statuses
     * @param restartReady        from starting the killed replica again until its readiness probe answered
     * @param restartOwning       from starting it again until it owned partitions and all were owned
     * @param repeatedCommands    by participant, the commands it answered from memory, applying nothing (sent again,
     *                            as after a takeover); null when their /demo views do not tell
     */
    public record Report(int orders, int approved, int rejected, int stuck, int inconsistent, int duplicates,
                         int unknownOrders, int replicaMismatches,
                         Takeover takeoverAfterKill, Duration killBound, Duration restartReady, Takeover restartOwning,
                         Takeover takeoverAfterSigterm, Duration sigtermBound, Map<String, Long> repeatedCommands,
                         List<String> violations) {

        public boolean passed() {
            return stuck == 0 && inconsistent == 0 && duplicates == 0 && unknownOrders == 0 && replicaMismatches == 0
                    && approved + rejected == orders && violations.isEmpty()
                    && takeoverAfterKill.within(killBound) && takeoverAfterSigterm.within(sigtermBound)
                    && restartOwning.after() != null;
        }

        @Override
        public String toString() {
            return "orders=" + orders + " approved=" + approved + " rejected=" + rejected + " stuck=" + stuck
                    + " inconsistent=" + inconsistent + " duplicates=" + duplicates
                    + " unknownOrders=" + unknownOrders + " replicaMismatches=" + replicaMismatches
                    + "\n  takeover after kill -9: " + takeoverAfterKill + ", bound " + seconds(killBound)
                    + (takeoverAfterKill.within(killBound) ? "" : ": FAILED")
                    + "\n  restarted replica: " + restarted(restartReady, restartOwning)
                    + "\n  takeover after SIGTERM: " + takeoverAfterSigterm + ", bound " + seconds(sigtermBound)
                    + (takeoverAfterSigterm.within(sigtermBound) ? "" : ": FAILED")
                    + "\n  repeated commands answered from memory by the participants: "
                    + (repeatedCommands == null ? "not exposed (no /demo/repeats)"
                    : repeatedCommands.values().stream().mapToLong(Long::longValue).sum() + " " + repeatedCommands)
                    + (violations.isEmpty() ? "" : "\n  " + String.join("\n  ",
                    violations.subList(0, Math.min(violations.size(), VIOLATIONS_SHOWN))))
                    + (violations.size() > VIOLATIONS_SHOWN
                    ? "\n  ... and " + (violations.size() - VIOLATIONS_SHOWN) + " more violations" : "");
        }
    }

    private static String restarted(Duration ready, Takeover owning) {
        return "ready after " + seconds(ready) + ", owning partitions" + (owning.after() != null ? " after " : ": ")
                + owning;
    }

    private final int orders;
    private final int concurrency;
    private final double ordersPerSecond;
    private final Duration killBound;
    private final Duration sigtermBound;
    private final Random random;
    private final Path logDir;
    private final OrderClient client = new OrderClient();
    private final PartitionOwnership ownership = new PartitionOwnership(PARTITIONS);
    /** The replicas that count for ownership and answer the audit: not one killed, nor one told to stop. */
    private final List<AppProcess> live = new CopyOnWriteArrayList<>();
    private final long startedAt = System.nanoTime();

    /**
     * @param ordersPerSecond how fast the clients send orders (while a portion is released)
     * @param killBound       the longest takeover after kill -9 that passes
     * @param sigtermBound    the longest takeover after SIGTERM that passes
     */
    public ScaleRun(int orders, int concurrency, double ordersPerSecond, Duration killBound, Duration sigtermBound,
                    long seed, Path logDir) {
        this.orders = orders;
        this.concurrency = concurrency;
        this.ordersPerSecond = ordersPerSecond;
        this.killBound = killBound;
        this.sigtermBound = sigtermBound;
        this.random = new Random(seed);
        this.logDir = logDir;
    }

    public static void main(String[] args) throws Exception {
        int orders = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        double perSecond = args.length > 2 ? Double.parseDouble(args[2]) : 20;
        Duration killBound = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 30);
        Duration sigtermBound = Duration.ofSeconds(args.length > 4 ? Long.parseLong(args[4]) : 10);
        Path logDir = Files.createDirectories(Path.of("target", "scale"));
        Report report = new ScaleRun(orders, concurrency, perSecond, killBound, sigtermBound, System.nanoTime(),
                logDir).run();
        System.out.println("SCALE AUDIT " + (report.passed() ? "PASSED" : "FAILED") + ": " + report);
        System.exit(report.passed() ? 0 : 1);
    }

    public Report run() throws Exception {
        int brokerPort = FreePort.next();
        Path brokerData = Files.createTempDirectory("scale-broker-");
        AppProcess infrastructure = new AppProcess("broker-and-participants", "participants", Map.of(
                "BROKER_EMBEDDED", "true",
                "BROKER_EMBEDDED_PORT", Integer.toString(brokerPort),
                "BROKER_EMBEDDED_DATA_DIR", brokerData.toString(),
                "PARTICIPANTS_INVENTORY_STOCK", OrderMix.stockSetting(),
                "TOPICS_PARTITIONS", Integer.toString(PARTITIONS)), FreePort.next(), logDir);
        List<AppProcess> replicas = new ArrayList<>();
        for (int n = 1; n <= REPLICAS; n++) {
            replicas.add(new AppProcess("orchestrator-" + n, "orchestrator", Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + brokerPort,
                    "ORCHESTRATOR_INSTANCE_ID", "orchestrator-" + n,
                    "TOPICS_PARTITIONS", Integer.toString(PARTITIONS),
                    "SAGA_STEP_TIMEOUT", "10s",
                    "SAGA_TIMEOUT", "30s",
                    "SAGA_FINALIZE_MAX_ATTEMPTS", "30",
                    "SAGA_FINALIZE_MAX_DELAY", "2s"), FreePort.next(), logDir));
        }
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            bodies.add(OrderMix.randomOrder(random));
        }
        try (PacedLoad load = new PacedLoad(bodies, replicas, "scale-", ordersPerSecond, concurrency, client)) {
            infrastructure.start(READY);
            say("broker and participants ready");
            startTogether(replicas);
            say(REPLICAS + " orchestrator replicas ready");
            live.addAll(replicas);
            say(scenario(replicas));
            Takeover initial = ownership.awaitAllOwned(() -> live, System.nanoTime(), Duration.ofSeconds(60), live);
            say("all " + PARTITIONS + " partitions shared by the " + REPLICAS + " replicas: " + initial);
            return runScenario(load, replicas, infrastructure);
        } finally {
            // all told at once, so that their drains overlap instead of adding up
            replicas.forEach(AppProcess::terminate);
            replicas.forEach(AppProcess::stop);
            infrastructure.stop();
        }
    }

    private Report runScenario(PacedLoad load, List<AppProcess> replicas, AppProcess infrastructure)
            throws Exception {
        AppProcess killed = replicas.get(0);
        AppProcess scaledDown = replicas.get(1);
        List<String> violations = new ArrayList<>();

        awaitAcceptedAndReleaseMore(load, 0);
        say("kill -9 " + killed.name() + " after " + load.accepted() + " accepted orders");
        killed.kill();
        long killedAt = System.nanoTime();
        live.remove(killed);
        Takeover afterKill = ownership.awaitAllOwned(() -> live, killedAt, killBound.multipliedBy(2), List.of());
        say("takeover after kill -9: " + afterKill);

        awaitAcceptedAndReleaseMore(load, 1);
        say("start " + killed.name() + " again after " + load.accepted() + " accepted orders");
        long restartedAt = System.nanoTime();
        killed.start(READY);
        Duration ready = Duration.ofNanos(System.nanoTime() - restartedAt);
        live.add(killed);
        Takeover owning = ownership.awaitAllOwned(() -> live, restartedAt, killBound.multipliedBy(2), List.of(killed));
        say(killed.name() + " restarted: " + restarted(ready, owning));

        awaitAcceptedAndReleaseMore(load, 2);
        say("SIGTERM " + scaledDown.name() + " (scale-down: it stays stopped) after "
                + load.accepted() + " accepted orders");
        scaledDown.terminate();
        long terminatedAt = System.nanoTime();
        live.remove(scaledDown);
        Takeover afterSigterm = ownership.awaitAllOwned(() -> live, terminatedAt, sigtermBound.multipliedBy(2),
                List.of());
        say("takeover after SIGTERM: " + afterSigterm);
        boolean exited = scaledDown.awaitExit(Duration.ofSeconds(60));
        say(scaledDown.name() + (exited ? " exited " + seconds(Duration.ofNanos(System.nanoTime()
                - terminatedAt)) + " after SIGTERM" : " still running 60 s after SIGTERM"));
        if (!exited) {
            violations.add(scaledDown.name() + " did not exit within 60 s of SIGTERM");
        }

        load.awaitAccepted(orders, Duration.ofMinutes(5));
        say("all " + orders + " orders accepted; auditing through " + live.get(0).name()
                + ", comparing with " + live.subList(1, live.size()).stream().map(AppProcess::name).toList());
        return audit(load.orderIdByKey(), infrastructure, afterKill, ready, owning, afterSigterm, violations);
    }

    /**
     * Lets the clients go on up to the share of the event after {@code event} (all orders after the last), then
     * waits until the share of {@code event} has been accepted: the event is next, with orders still arriving.
     */
    private void awaitAcceptedAndReleaseMore(PacedLoad load, int event) throws InterruptedException {
        load.releaseUpTo(event + 1 < ACCEPTED_BEFORE.length ? portion(event + 1) : orders);
        load.awaitAccepted(portion(event), Duration.ofMinutes(5));
    }

    /** How many orders are accepted before event {@code event}. */
    private int portion(int event) {
        return (int) Math.round(orders * ACCEPTED_BEFORE[event]);
    }

    private Report audit(Map<String, String> placed, AppProcess infrastructure, Takeover afterKill, Duration ready,
                         Takeover owning, Takeover afterSigterm, List<String> scenarioViolations) throws Exception {
        OrderAudit audit = new OrderAudit(client);
        Map<String, JsonNode> finalOrders = audit.awaitFinal(placed.values(), live.get(0), SAGAS_END);
        OrderAudit.Findings findings = audit.audit(placed.values(), finalOrders, infrastructure);
        List<String> violations = new ArrayList<>(scenarioViolations);
        violations.addAll(findings.violations());

        Set<String> unknown = new HashSet<>(findings.ordersSeenByParticipants());
        unknown.removeAll(placed.values());
        unknown.forEach(orderId -> violations.add(orderId + " was acted on by the participants but given to no client"
                + " (an Idempotency-Key that started a second saga?)"));

        List<String> disagreements = new ReplicaAgreement(client).disagreements(placed.values(), live,
                REPLICAS_SETTLE);
        disagreements.forEach(line -> violations.add("replicas disagree on " + line));

        return new Report(placed.size(), findings.approved(), findings.rejected(), findings.stuck(),
                findings.inconsistent(), findings.duplicates(), unknown.size(), disagreements.size(),
                afterKill, killBound, ready, owning, afterSigterm, sigtermBound, repeatedCommands(infrastructure),
                violations);
    }

    /**
     * The commands each participant answered from memory, as {@code GET /demo/repeats} tells them
     * ({@code {"order-service":0,"inventory-service":3,...}}); null when there is no such view.
     */
    private Map<String, Long> repeatedCommands(AppProcess infrastructure) throws Exception {
        JsonNode repeats = client.get(infrastructure.baseUrl() + "/demo/repeats");
        if (repeats == null) {
            return null;
        }
        Map<String, Long> byParticipant = new LinkedHashMap<>();
        repeats.fields().forEachRemaining(count -> byParticipant.put(count.getKey(), count.getValue().asLong()));
        return byParticipant;
    }

    /** One line of the run's story, stamped with the time since the run began. */
    private void say(String line) {
        System.out.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - startedAt) / 1e9, line);
    }

    /** Starts the replicas side by side: each waits for its readiness probe, so one after another would add up. */
    private static void startTogether(List<AppProcess> replicas) {
        CompletableFuture.allOf(replicas.stream()
                .map(replica -> CompletableFuture.runAsync(() -> replica.start(READY)))
                .toArray(CompletableFuture[]::new)).join();
    }

    private String scenario(List<AppProcess> replicas) {
        return "scenario: " + REPLICAS + " orchestrator replicas (" + replicas.stream().map(AppProcess::name).toList()
                + "), " + PARTITIONS + " partitions; " + orders + " orders at " + ordersPerSecond
                + "/s, round-robin over the replicas' APIs, " + concurrency + " clients;"
                + "\n  kill -9 " + replicas.get(0).name() + " once " + portion(0) + " orders are accepted;"
                + " start it again (same instance id) once the others own all partitions and " + portion(1)
                + " orders are accepted;"
                + "\n  SIGTERM " + replicas.get(1).name() + " once the restarted one owns partitions and " + portion(2)
                + " orders are accepted (scale-down: it stays stopped);"
                + "\n  orders keep arriving through each event, up to the next one's count, the rest after the SIGTERM;"
                + "\n  audit through the live replicas; bounds: takeover after kill -9 " + seconds(killBound)
                + ", after SIGTERM " + seconds(sigtermBound);
    }
}
