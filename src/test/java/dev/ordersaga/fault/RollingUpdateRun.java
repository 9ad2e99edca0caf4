package dev.ordersaga.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ordersaga.fault.PartitionOwnership.Takeover;
import dev.ordersaga.testsupport.FreePort;

/**
 * The rolling-update audit: a changed flow deployed while sagas of the old one are in flight. The broker and the
 * participants run in one process (the participants know both flow versions, and the new step's fraud-service); a
 * replica of the old release (flow v1 only) runs the sagas, with a slow payment-service so that many are in flight;
 * a replica of the new release (v1 and {@code OrderSagaV2}, which adds a fraud check) joins and takes half the
 * partitions; then the old one gets SIGTERM, as a rollout does, and the new one takes over everything. Orders arrive
 * throughout, round-robin over both APIs (each stamped with the newest version the accepting replica knows), and,
 * after the SIGTERM, on the new replica only.
 * <p>
 * Then: the audit of {@link OrderAudit} (every order ended, every effect exact, nothing applied twice), and: every
 * order placed as v1 ended as v1 and never got the new step's command (CheckFraud), wherever it was recovered; every
 * order placed as v2 got it once; every order placed after the SIGTERM is v2; v1 sagas were in flight when the old
 * replica stopped; no version has unfinished sagas left.
 * <p>
 * {@code java ... dev.ordersaga.fault.RollingUpdateRun [orders] [ordersPerSecond]}; exits 1 on any violation.
 * {@code RollingUpdateTest} runs a short form in the suite.
 */
public final class RollingUpdateRun {

    static final int PARTITIONS = 4;
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Duration SAGAS_END = Duration.ofMinutes(2);
    private static final Duration TAKEOVER = Duration.ofSeconds(30);
    private static final String NEW_FLOWS = "dev.ordersaga.routes,dev.ordersaga.rollout";
    /** Shares of the orders: accepted before the new replica joins, and before the old one gets SIGTERM. */
    private static final double BEFORE_JOIN = 1 / 3.0;
    private static final double BEFORE_SIGTERM = 2 / 3.0;

    /**
     * What the audit found.
     *
     * @param v1InFlightAtSigterm sagas of flow v1 not ended when the old replica was told to stop
     */
    public record Report(int orders, int v1Orders, int v2Orders, int approved, int rejected, int stuck,
                         int inconsistent, int duplicates, long v1InFlightAtSigterm, Takeover takeover,
                         List<String> violations) {

        public boolean passed() {
            return stuck == 0 && inconsistent == 0 && duplicates == 0 && approved + rejected == orders
                    && violations.isEmpty() && v1InFlightAtSigterm > 0 && takeover.after() != null;
        }

        @Override
        public String toString() {
            return "orders=" + orders + " (v1 " + v1Orders + ", v2 " + v2Orders + ") approved=" + approved
                    + " rejected=" + rejected + " stuck=" + stuck + " inconsistent=" + inconsistent
                    + " duplicates=" + duplicates + " v1SagasInFlightAtSigterm=" + v1InFlightAtSigterm
                    + "\n  takeover after SIGTERM of the old replica: " + takeover
                    + (violations.isEmpty() ? "" : "\n  " + String.join("\n  ", violations));
        }
    }

    private final int orders;
    private final double ordersPerSecond;
    private final Random random;
    private final Path logDir;
    private final OrderClient client = new OrderClient();
    private final long startedAt = System.nanoTime();

    public RollingUpdateRun(int orders, double ordersPerSecond, long seed, Path logDir) {
        this.orders = orders;
        this.ordersPerSecond = ordersPerSecond;
        this.random = new Random(seed);
        this.logDir = logDir;
    }

    public static void main(String[] args) throws Exception {
        int orders = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        double perSecond = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        Report report = new RollingUpdateRun(orders, perSecond, System.nanoTime(),
                Files.createDirectories(Path.of("target", "rollout"))).run();
        System.out.println("ROLLING UPDATE AUDIT " + (report.passed() ? "PASSED" : "FAILED") + ": " + report);
        System.exit(report.passed() ? 0 : 1);
    }

    public Report run() throws Exception {
        int brokerPort = FreePort.next();
        Path brokerData = Files.createTempDirectory("rollout-broker-");
        AppProcess infrastructure = new AppProcess("broker-and-participants", "participants", Map.of(
                "BROKER_EMBEDDED", "true",
                "BROKER_EMBEDDED_PORT", Integer.toString(brokerPort),
                "BROKER_EMBEDDED_DATA_DIR", brokerData.toString(),
                "PARTICIPANTS_INVENTORY_STOCK", OrderMix.stockSetting(),
                "TOPICS_PARTITIONS", Integer.toString(PARTITIONS),
                "FLOWS_PACKAGES", NEW_FLOWS,
                "PARTICIPANTS_RULES_PACKAGES", "dev.ordersaga.participants,dev.ordersaga.rollout",
                // slow: every saga waits 1.5 s for its hold, so that many are in flight when the old replica stops
                "PARTICIPANTS_PAYMENT_SERVICE_REPLY_DELAY", "1500ms"), FreePort.next(), logDir);
        AppProcess oldRelease = orchestrator("orchestrator-v1", brokerPort, "dev.ordersaga.routes");
        AppProcess newRelease = orchestrator("orchestrator-v2", brokerPort, NEW_FLOWS);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            bodies.add(OrderMix.randomOrder(random));
        }
        PartitionOwnership ownership = new PartitionOwnership(PARTITIONS);
        try (PacedLoad load = new PacedLoad(bodies, List.of(oldRelease, newRelease), "rollout-", ordersPerSecond,
                16, client)) {
            infrastructure.start(READY);
            oldRelease.start(READY);
            say("broker, participants and the old release (flow v1) ready; orders arrive");
            load.releaseUpTo(share(BEFORE_JOIN));
            load.awaitAccepted(share(BEFORE_JOIN), Duration.ofMinutes(2));

            say("the new release (flows v1 and v2) joins after " + load.accepted() + " accepted orders");
            long joining = System.nanoTime();
            newRelease.start(READY);
            say("both replicas own partitions: " + ownership.awaitAllOwned(() -> List.of(oldRelease, newRelease),
                    joining, TAKEOVER, List.of(newRelease)));

            // orders now go to both replicas; the old one is stopped right after the last of them is accepted, with
            // the sagas of the last seconds (each waits 1.5 s for its hold) still in flight
            load.releaseUpTo(share(BEFORE_SIGTERM));
            load.awaitAccepted(share(BEFORE_SIGTERM), Duration.ofMinutes(2));
            long v1InFlight = unfinished(newRelease, 1);
            say("SIGTERM the old release after " + load.accepted() + " accepted orders, " + v1InFlight
                    + " v1 saga(s) in flight");
            oldRelease.terminate();
            long terminated = System.nanoTime();
            Takeover takeover = ownership.awaitAllOwned(() -> List.of(newRelease), terminated, TAKEOVER, List.of());
            say("the new release owns every partition: " + takeover);
            List<String> violations = new ArrayList<>();
            if (!oldRelease.awaitExit(Duration.ofSeconds(60))) {
                violations.add("the old release did not exit within 60 s of SIGTERM");
            }

            Set<String> beforeSigterm = new HashSet<>(load.orderIdByKey().values());
            load.releaseUpTo(orders);
            load.awaitAccepted(orders, Duration.ofMinutes(2));
            say("all " + orders + " orders accepted; auditing through the new release");
            return audit(load.orderIdByKey(), beforeSigterm, infrastructure, newRelease, v1InFlight, takeover,
                    violations);
        } finally {
            oldRelease.terminate();
            newRelease.terminate();
            oldRelease.stop();
            newRelease.stop();
            infrastructure.stop();
        }
    }

    private AppProcess orchestrator(String name, int brokerPort, String flows) {
        return new AppProcess(name, "orchestrator", Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + brokerPort,
                "ORCHESTRATOR_INSTANCE_ID", name,
                "TOPICS_PARTITIONS", Integer.toString(PARTITIONS),
                "FLOWS_PACKAGES", flows,
                "SAGA_STEP_TIMEOUT", "10s",
                "SAGA_TIMEOUT", "60s",
                "SAGA_FINALIZE_MAX_ATTEMPTS", "30",
                "SAGA_FINALIZE_MAX_DELAY", "2s"), FreePort.next(), logDir);
    }

    private Report audit(Map<String, String> placed, Set<String> beforeSigterm, AppProcess participants,
                         AppProcess api, long v1InFlight, Takeover takeover, List<String> scenarioViolations)
            throws Exception {
        OrderAudit audit = new OrderAudit(client);
        Map<String, JsonNode> finalOrders = audit.awaitFinal(placed.values(), api, SAGAS_END);
        OrderAudit.Findings findings = audit.audit(placed.values(), finalOrders, participants);
        List<String> violations = new ArrayList<>(scenarioViolations);
        violations.addAll(findings.violations());

        Map<String, Integer> checks = new java.util.HashMap<>();
        client.get(participants.baseUrl() + "/demo/fraud-checks")
                .forEach(orderId -> checks.merge(orderId.asText(), 1, Integer::sum));
        int v1 = 0;
        int v2 = 0;
        for (String orderId : placed.values()) {
            JsonNode order = finalOrders.get(orderId);
            int version = order == null || order.path("flow").isMissingNode() ? 0
                    : order.path("flow").path("version").asInt();
            int checked = checks.getOrDefault(orderId, 0);
            if (version == 1) {
                v1++;
                if (checked > 0) {
                    violations.add(orderId + " began under v1 but was sent v2's CheckFraud");
                }
                if (!beforeSigterm.contains(orderId)) {
                    violations.add(orderId + " was placed after the old release stopped, but runs v1");
                }
            } else if (version == 2) {
                v2++;
                if (checked != 1) {
                    violations.add(orderId + " runs v2 but was fraud-checked " + checked + " time(s)");
                }
            } else {
                violations.add(orderId + " shows no flow version: " + order);
            }
        }
        JsonNode flows = client.get(api.baseUrl() + "/api/flows");
        flows.path("flows").forEach(flow -> {
            if (flow.path("unfinishedSagas").asLong() != 0) {
                violations.add("flow " + flow + " still has unfinished sagas");
            }
        });
        return new Report(placed.size(), v1, v2, findings.approved(), findings.rejected(), findings.stuck(),
                findings.inconsistent(), findings.duplicates(), v1InFlight, takeover, violations);
    }

    /** How many sagas of the order flow's version {@code version} have not ended, as GET /api/flows tells. */
    private long unfinished(AppProcess api, int version) throws Exception {
        for (JsonNode flow : client.get(api.baseUrl() + "/api/flows").path("flows")) {
            if (flow.path("version").asInt() == version) {
                return flow.path("unfinishedSagas").asLong();
            }
        }
        return 0;
    }

    private int share(double share) {
        return (int) Math.round(orders * share);
    }

    private void say(String line) {
        System.out.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - startedAt) / 1e9, line);
    }
}
