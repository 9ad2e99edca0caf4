package dev.ordersaga.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ordersaga.testsupport.FreePort;

/**
 * The kill -9 audit. The broker and the four participants run in one process, the orchestrator in another. Orders
 * (good, out of stock, declined, and contended ones) are placed at high concurrency while the orchestrator is killed
 * with SIGKILL at random moments and started again (and, optionally, the broker's process too, once). Clients retry
 * with their Idempotency-Key, as real clients do. Then every order must end APPROVED or REJECTED, and the
 * participants' state must match the outcomes exactly: stock, holds, emails, order records.
 * <p>
 * The outage form ({@link #outage}) stops the broker and participants for a while shorter than the saga's deadline,
 * mid-load, with the orchestrator on its shipped settings: then, besides the audit, no order may be rejected because
 * of the outage, neither an approvable one (a book, a good card) nor any with a reason that is not a business one.
 * <p>
 * {@code java ... dev.ordersaga.fault.FaultRun [orders] [concurrency] [kills] [sigterms] [restartBroker]
 * [brokerDownSeconds]}; exits 1 on any violation. {@code FaultTest} and {@code OutageTest} run short forms in the test
 * suite; {@code scripts/fault-test.sh} and {@code scripts/outage-test.sh} the long forms.
 */
public final class FaultRun {

    private static final Duration READY = Duration.ofSeconds(90);

    /**
     * What the audit found.
     *
     * @param readinessFollowedBroker when the broker was restarted: whether the orchestrator's readiness probe turned
     *                                DOWN while it was away and UP again after; null when it was not restarted
     */
    public record Report(int orders, int approved, int rejected, int stuck, int inconsistent, int duplicates,
                         int orchestratorStarts, Boolean readinessFollowedBroker, OutageRejections outage,
                         List<String> violations) {

        /** Every order ended, effects exact; in the outage form, no order rejected because of the outage. */
        public boolean passed() {
            return stuck == 0 && inconsistent == 0 && duplicates == 0 && approved + rejected == orders
                    && !Boolean.FALSE.equals(readinessFollowedBroker) && (outage == null || outage.none());
        }

        @Override
        public String toString() {
            return "orders=" + orders + " approved=" + approved + " rejected=" + rejected + " stuck=" + stuck
                    + " inconsistent=" + inconsistent + " duplicates=" + duplicates
                    + " orchestratorStarts=" + orchestratorStarts
                    + (readinessFollowedBroker == null ? "" : " readinessFollowedBroker=" + readinessFollowedBroker)
                    + (outage == null ? "" : " " + outage)
                    + (violations.isEmpty() ? "" : "\n  " + String.join("\n  ", violations));
        }
    }

    private final int orders;
    private final int concurrency;
    private final int kills;
    private final int sigterms;
    private final boolean restartBroker;
    /** How long the broker's process stays away when it is restarted: zero, started again at once. */
    private final Duration brokerDownFor;
    private volatile Duration brokerAway;
    private volatile Duration brokerFirstStart = Duration.ZERO;
    private volatile boolean readinessFollowedBroker;
    private final Random random;
    private final Path logDir;
    private final OrderClient client = new OrderClient();

    /**
     * @param kills    how many times the orchestrator is killed with SIGKILL (and started again)
     * @param sigterms how many times it is stopped with SIGTERM, gracefully, sagas in flight (and started again)
     */
    public FaultRun(int orders, int concurrency, int kills, int sigterms, boolean restartBroker, long seed,
                    Path logDir) {
        this(orders, concurrency, kills, sigterms, restartBroker, Duration.ZERO, seed, logDir);
    }

    private FaultRun(int orders, int concurrency, int kills, int sigterms, boolean restartBroker,
                     Duration brokerDownFor, long seed, Path logDir) {
        this.brokerDownFor = brokerDownFor;
        this.orders = orders;
        this.concurrency = concurrency;
        this.kills = kills;
        this.sigterms = sigterms;
        this.restartBroker = restartBroker;
        this.random = new Random(seed);
        this.logDir = logDir;
    }

    /**
     * The broker and participants killed once mid-load, and started again so as to be ready about {@code downFor}
     * after the kill (their start takes about as long as their first one; the report says how long they were away).
     */
    public static FaultRun outage(int orders, int concurrency, Duration downFor, long seed, Path logDir) {
        return new FaultRun(orders, concurrency, 0, 0, true, downFor, seed, logDir);
    }

    public static void main(String[] args) throws Exception {
        int orders = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int kills = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int sigterms = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        boolean restartBroker = args.length > 4 && Boolean.parseBoolean(args[4]);
        Duration brokerDownFor = Duration.ofSeconds(args.length > 5 ? Long.parseLong(args[5]) : 0);
        Path logDir = Files.createDirectories(Path.of("target", "fault"));
        Report report = new FaultRun(orders, concurrency, kills, sigterms, restartBroker, brokerDownFor,
                System.nanoTime(), logDir).run();
        System.out.println("FAULT AUDIT " + (report.passed() ? "PASSED" : "FAILED") + ": " + report);
        System.exit(report.passed() ? 0 : 1);
    }

    public Report run() throws Exception {
        int brokerPort = FreePort.next();
        Path brokerData = Files.createTempDirectory("fault-broker-");
        AppProcess infrastructure = new AppProcess("broker-and-participants", "participants", Map.of(
                "BROKER_EMBEDDED", "true",
                "BROKER_EMBEDDED_PORT", Integer.toString(brokerPort),
                "BROKER_EMBEDDED_DATA_DIR", brokerData.toString(),
                "PARTICIPANTS_INVENTORY_STOCK", OrderMix.stockSetting(),
                "TOPICS_PARTITIONS", "4"), FreePort.next(), logDir);
        AppProcess orchestrator = new AppProcess("orchestrator", "orchestrator", isOutage()
                // the shipped timeouts and retries: the outage is shorter than config's saga.timeout
                ? Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + brokerPort, "TOPICS_PARTITIONS", "4")
                : Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + brokerPort,
                        "TOPICS_PARTITIONS", "4",
                        "SAGA_STEP_TIMEOUT", "10s",
                        "SAGA_TIMEOUT", "30s",
                        "SAGA_FINALIZE_MAX_ATTEMPTS", "30",
                        "SAGA_FINALIZE_MAX_DELAY", "2s"), FreePort.next(), logDir);
        try {
            long starting = System.nanoTime();
            infrastructure.start(READY);
            brokerFirstStart = Duration.ofNanos(System.nanoTime() - starting);
            orchestrator.start(READY);
            Map<String, String> bodies = new ConcurrentHashMap<>();
            Map<String, String> placed = placeOrdersUnderFire(infrastructure, orchestrator, bodies);
            return audit(placed, bodies, infrastructure, orchestrator);
        } finally {
            orchestrator.stop();
            infrastructure.stop();
        }
    }

    /** Places every order (retrying each with its Idempotency-Key until accepted) while the killer does its work. */
    private Map<String, String> placeOrdersUnderFire(AppProcess infrastructure, AppProcess orchestrator,
                                                     Map<String, String> bodyByKey) throws Exception {
        Map<String, String> orderIdByKey = new ConcurrentHashMap<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            bodies.add(OrderMix.randomOrder(random));
            bodyByKey.put("fault-" + i, bodies.get(i));
        }
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> submitted = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            String key = "fault-" + i;
            String body = bodies.get(i);
            submitted.add(clients.submit(() -> orderIdByKey.put(key,
                    client.placeUntilAccepted(List.of(orchestrator), 0, key, body))));
        }
        Thread killer = new Thread(() -> killAtRandom(infrastructure, orchestrator, orderIdByKey), "killer");
        killer.start();
        for (Future<?> future : submitted) {
            future.get(10, TimeUnit.MINUTES);
        }
        killer.join();
        clients.shutdown();
        return orderIdByKey;
    }

    /** Spreads the kills (and the broker restart, halfway) over the run, each at a random moment. */
    private void killAtRandom(AppProcess infrastructure, AppProcess orchestrator, Map<String, String> placed) {
        int events = kills + sigterms + (restartBroker ? 1 : 0);
        int sigtermsLeft = sigterms;
        int killsLeft = kills;
        int brokerRestartAt = restartBroker ? events / 2 : -1;
        for (int event = 0; event < events; event++) {
            int target = (int) ((long) orders * (event + 1) / (events + 1)) - random.nextInt(Math.max(1, orders / 20));
            while (placed.size() < target) {
                AppProcess.sleepQuietly(Duration.ofMillis(5 + random.nextInt(20)));
            }
            if (event == brokerRestartAt) {
                System.out.println("kill -9 the broker and participants after " + placed.size() + " accepted orders");
                long killed = System.nanoTime();
                infrastructure.kill();
                // the orchestrator's readiness follows the broker: DOWN while it is away, UP once it is back
                boolean wentDown = orchestrator.awaitReadiness(false, Duration.ofSeconds(20));
                // away for brokerDownFor in all, from the kill until ready again: started again early by as long as
                // its first start took, since a start is part of an outage
                AppProcess.sleepQuietly(brokerDownFor.minus(brokerFirstStart).minusNanos(System.nanoTime() - killed));
                infrastructure.start(READY);
                brokerAway = Duration.ofNanos(System.nanoTime() - killed);
                System.out.println("the broker and participants were away for " + brokerAway.toMillis() + " ms (their "
                        + "first start took " + brokerFirstStart.toMillis() + " ms)");
                boolean cameBack = orchestrator.awaitReadiness(true, READY);
                System.out.println("orchestrator readiness during the broker outage: "
                        + (wentDown ? "DOWN" : "never DOWN") + ", then " + (cameBack ? "UP" : "never UP again"));
                readinessFollowedBroker = wentDown && cameBack;
            } else if (sigtermsLeft > 0 && (killsLeft == 0 || event % 2 == 1)) {
                sigtermsLeft--;
                System.out.println("SIGTERM the orchestrator after " + placed.size() + " accepted orders");
                long stopping = System.nanoTime();
                orchestrator.stop();
                System.out.println("  it stopped in " + Duration.ofNanos(System.nanoTime() - stopping).toMillis()
                        + " ms");
                orchestrator.start(READY);
            } else {
                killsLeft--;
                System.out.println("kill -9 the orchestrator after " + placed.size() + " accepted orders");
                orchestrator.kill();
                AppProcess.sleepQuietly(Duration.ofMillis(random.nextInt(1000)));
                orchestrator.start(READY);
            }
        }
    }

    private boolean isOutage() {
        return restartBroker && !brokerDownFor.isZero();
    }

    private Report audit(Map<String, String> placed, Map<String, String> bodyByKey, AppProcess infrastructure,
                         AppProcess orchestrator) throws Exception {
        OrderAudit audit = new OrderAudit(client);
        Map<String, JsonNode> finalOrders = audit.awaitFinal(placed.values(), orchestrator, Duration.ofMinutes(3));
        OrderAudit.Findings findings = audit.audit(placed.values(), finalOrders, infrastructure);
        List<String> violations = new ArrayList<>(findings.violations());
        OutageRejections outage = null;
        if (isOutage()) {
            outage = OutageRejections.of(placed, bodyByKey, finalOrders, brokerAway);
            violations.addAll(outage.violations());
        }
        return new Report(placed.size(), findings.approved(), findings.rejected(), findings.stuck(),
                findings.inconsistent(), findings.duplicates(), orchestrator.starts(),
                restartBroker ? readinessFollowedBroker : null, outage, violations);
    }
}
