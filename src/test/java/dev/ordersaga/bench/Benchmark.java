package dev.ordersaga.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.ordersaga.app.OrderSagaApplication;
import dev.ordersaga.flow.Participant;
import dev.ordersaga.testsupport.Flows;
import dev.ordersaga.testsupport.FreePort;

/**
 * The saga benchmark: sagas per second and latency of the orchestrator, and of the Kafka floor on the same broker, in
 * one run. See bench/README.md. Usage:
 *
 * <pre>
 * Benchmark [--smoke] [--rates 100,250,...] [--floor-rates ...] [--warmup S] [--seconds S] [--drain S]
 *           [--slo-ms 100] [--targets orchestrator,floor,floor-journal,replicas] [--replicas 1,2]
 *           [--completion hook|wait] [--set key=value]... [--out bench/results] [--name NAME] [--wire-sagas N]
 *           [--jit-warmup S] [--jit-warmup-rate R] [--profile]
 * </pre>
 * The {@code replicas} target runs the orchestrator's ladder once per replica count, against processes of their own
 * ({@link ReplicaCluster}), after the targets that run in this JVM.
 */
public final class Benchmark {

    static final String APP = "orchestrator";
    static final String FLOOR = "kafka-floor";
    static final String FLOOR_JOURNAL = "kafka-floor+journal";
    static final String REPLICAS = "replicas";
    static final String REPLICA_COMPLETION = "POST without Prefer (202) to the replicas in turn, then the saga's end "
            + "seen on the order topic (a snapshot with sagaEnded), tailed by the benchmark";
    /** The JVM options of every process of the replica comparison (env BENCH_REPLICA_JAVA_OPTS). */
    static final String DEFAULT_REPLICA_JAVA_OPTS = "-Xms1g -Xmx1g -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=2";
    /** Where the application in this JVM logs (its own levels and layout), and whose lines the accounting counts. */
    static final Path APP_LOG = Path.of("target", "bench", "app.log");

    private static final List<Integer> DEFAULT_RATES = List.of(25, 50, 100, 250, 500, 1000, 1500, 2000, 3000, 4000);
    private static final List<Integer> FLOOR_EXTRA_RATES = List.of(6000, 8000, 10000, 12000);

    /**
     * The JIT warm-up goes on, in rounds of this many seconds, while the JIT compiler threads of the system under
     * test (this JVM, or the replicas' processes) together use more than {@link #JIT_QUIET_CORES}, for at most
     * {@link #JIT_SETTLE_MAX_SECONDS}.
     */
    private static final double JIT_SETTLE_ROUND_SECONDS = 15;
    private static final double JIT_QUIET_CORES = 0.1;
    private static final double JIT_SETTLE_MAX_SECONDS = 180;

    /** Stop climbing a ladder when a step is this bad. */
    private static final double GIVE_UP_P99_MS = 1000;
    private static final double GIVE_UP_COMPLETED_FRACTION = 0.9;

    private final boolean smoke;
    private final List<Integer> rates;
    private final List<Integer> floorRates;
    private final double warmup;
    private final double seconds;
    private final double drain;
    private final double sloMillis;
    private final List<String> targets;
    private final List<Integer> replicaCounts;
    private final HttpSagaTarget.Completion completion;
    private final Map<String, String> sets;
    private final Path out;
    private final String name;
    private final int wireProfileSagas;
    private final double jitWarmup;
    /** The JIT warm-up's rate; null: each ladder's first rate. */
    private final Integer jitWarmupRate;
    private final boolean profile;
    /** Per-saga counts of the in-JVM targets' windows. */
    private final Accounting accounting = new Accounting(APP_LOG);

    private Benchmark(Map<String, List<String>> args) {
        smoke = args.containsKey("smoke");
        profile = args.containsKey("profile");
        rates = ints(one(args, "rates", smoke ? "20" : join(DEFAULT_RATES)));
        List<Integer> floorDefault = new ArrayList<>(new TreeSet<>(rates));
        if (!smoke && !args.containsKey("rates")) {
            floorDefault.addAll(FLOOR_EXTRA_RATES);
        }
        floorRates = ints(one(args, "floor-rates", join(floorDefault)));
        warmup = Double.parseDouble(one(args, "warmup", smoke ? "2" : "5"));
        seconds = Double.parseDouble(one(args, "seconds", smoke ? "3" : "10"));
        drain = Double.parseDouble(one(args, "drain", smoke ? "10" : "30"));
        sloMillis = Double.parseDouble(one(args, "slo-ms", "100"));
        targets = List.of(one(args, "targets", APP + ",floor,floor-journal").split(","));
        for (String target : targets) {
            if (!List.of(APP, "floor", "floor-journal", "null", REPLICAS).contains(target)) {
                throw new IllegalArgumentException("Unknown target " + target
                        + " (orchestrator, floor, floor-journal, null, replicas)");
            }
        }
        replicaCounts = ints(one(args, "replicas", "1,2"));
        if (replicaCounts.isEmpty() || replicaCounts.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("--replicas wants replica counts of 1 or more, e.g. 1,2");
        }
        completion = HttpSagaTarget.Completion.valueOf(one(args, "completion", "hook").toUpperCase(Locale.ROOT));
        sets = new LinkedHashMap<>();
        for (String set : args.getOrDefault("set", List.of())) {
            int eq = set.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--set wants key=value, got " + set);
            }
            sets.put(set.substring(0, eq), set.substring(eq + 1));
        }
        out = Path.of(one(args, "out", "bench/results"));
        name = one(args, "name", smoke ? "smoke" : "benchmark");
        wireProfileSagas = Integer.parseInt(one(args, "wire-sagas", smoke ? "5" : "20"));
        jitWarmup = Double.parseDouble(one(args, "jit-warmup", smoke ? "0" : "15"));
        String warmupRate = one(args, "jit-warmup-rate", null);
        jitWarmupRate = warmupRate == null ? null : Integer.valueOf(warmupRate);
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 2 && argv[0].equals("--render")) {
            // the report again from its JSON (after a change to the report's layout)
            Path json = Path.of(argv[1]);
            Report.Run run = Report.read(json);
            String file = json.getFileName().toString();
            Report.write(run, json.toAbsolutePath().getParent(), file.substring(0, file.length() - ".json".length()));
            return;
        }
        Map<String, List<String>> args;
        try {
            args = parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("Usage: Benchmark [--smoke] [--rates 100,250,...] [--floor-rates ...] [--warmup S]"
                    + " [--seconds S] [--drain S] [--slo-ms 100] [--targets orchestrator,floor,floor-journal,replicas]"
                    + " [--replicas 1,2] [--completion hook|wait] [--set key=value]... [--out DIR] [--name NAME]"
                    + " [--wire-sagas N]"
                    + " [--jit-warmup S] [--jit-warmup-rate R] [--profile]");
            System.exit(2);
            return;
        }
        // java.net.http completes every sendAsync on the common pool, which at a parallelism of 1 (2 cores) starts a
        // thread per response: give it two workers (bench/run.sh sets this too, before anything uses the pool)
        if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
            System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism", "2");
        }
        // the application logs as configured (one INFO line per accepted order), but to a file, not over the results
        Path logDir = APP_LOG.getParent();
        Files.createDirectories(logDir);
        Path log4j = logDir.resolve("log4j2.properties");
        Files.writeString(log4j, logConfig(APP_LOG), StandardCharsets.UTF_8);
        System.setProperty("log4j2.configurationFile", log4j.toAbsolutePath().toString());

        Benchmark benchmark;
        try {
            benchmark = new Benchmark(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int status;
        try {
            status = benchmark.run();
        } catch (Throwable e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private int run() throws Exception {
        Thread.currentThread().setName("bench-driver");
        if (profile) {
            JfrProfile.prepare();
        }
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("api.port", Integer.toString(FreePort.next()));
        overrides.put("management.port", Integer.toString(FreePort.next()));
        overrides.put("participants.inventory.stock", HttpSagaTarget.SKU + ":1000000000:1.00");
        overrides.put("participants.payment.credit-limits", HttpSagaTarget.CARD + ":100000000000.00");
        overrides.putAll(sets);
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        // the targets that run in this JVM need the application here; the replicas run in processes of their own
        boolean inProcess = targets.stream().anyMatch(target -> !target.equals(REPLICAS));
        OrderSagaApplication app = null;
        if (inProcess) {
            // before the application's threads start, so that they all see the counting decorators
            JsonCounts.install();
            log("Starting the application (profile demo, %s) ...",
                    external == null || external.isBlank() ? "embedded broker" : "Kafka at " + external);
            long t = System.nanoTime();
            app = OrderSagaApplication.create("demo", overrides).start();
            log("Started in %.1f s; API on port %s, Kafka at %s", (System.nanoTime() - t) / 1e9,
                    overrides.get("api.port"), app.bootstrapServers());
        }
        List<Report.Ladder> ladders = new ArrayList<>();
        boolean failed = false;
        Report.Machine machine;
        Report.Settings settings;
        try {
            int partitions = Integer.parseInt(app != null ? property(app, "topics.partitions", "8")
                    : ReplicaCluster.setting(sets, "topics.partitions"));
            short replication = app != null ? Short.parseShort(property(app, "topics.replication-factor", "1")) : 1;
            String journalTopic = app != null ? property(app, "topics.journal", "order-saga.journal") : null;
            Map<String, Object> kafka = app != null ? clientConfig(app.bootstrapServers()) : null;
            machine = machine(app, loadAtStart, external);
            if (java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() < 2) {
                log("WARNING: the common ForkJoinPool has a parallelism of 1: the HTTP client will start a thread per "
                        + "response (run with -Djava.util.concurrent.ForkJoinPool.common.parallelism=2)");
            }
            String inJvmCompletion = completion == HttpSagaTarget.Completion.HOOK
                    ? "POST without Prefer (202), then OrderBook.whenSagaEnded in the same JVM"
                    : "POST with Prefer: wait=30, ended when its 201 arrives";
            String completionText = !inProcess ? REPLICA_COMPLETION : targets.contains(REPLICAS)
                    ? inJvmCompletion + " (replicas: " + REPLICA_COMPLETION + ")" : inJvmCompletion;
            settings = new Report.Settings(smoke ? "smoke" : "full", warmup, seconds, drain, sloMillis,
                    completionText, partitions, inProcess ? overrides : replicaProperties());
            log("Machine: %d cores, %s, %s, %s; load average %.2f", machine.cores(), machine.cpuModel(), machine.os(),
                    machine.jvm(), loadAtStart);
            int journalBytes = 400;

            if (targets.contains(APP)) {
                try (HttpSagaTarget target = new HttpSagaTarget(APP,
                        "http://127.0.0.1:" + overrides.get("api.port"), SagaEnds.of(app.orders()), completion)) {
                    java.util.Set<String> appTopics = new java.util.HashSet<>();
                    // the names the application gives its topics (TopicNames): each participant's command topic, then
                    // the replies, the journal, the orders and the participants' ledger
                    String commandsPrefix = property(app, Participant.COMMANDS_PREFIX_PROPERTY, "?");
                    for (Participant participant : Flows.catalog().participants()) {
                        appTopics.add(property(app, participant.commandTopicProperty(),
                                participant.defaultCommandTopic(commandsPrefix)));
                    }
                    for (String key : List.of("replies", "journal", "orders", "participants-ledger")) {
                        appTopics.add(property(app, "topics." + key, "?"));
                    }
                    List<WireProfile.TopicTraffic> wire = wireProfileSagas <= 0 ? List.of()
                            : WireProfile.measure(kafka, target, wireProfileSagas, appTopics::contains);
                    for (WireProfile.TopicTraffic traffic : wire) {
                        log("  %s writes per saga: %.2f records of %.0f bytes on %s", APP, traffic.recordsPerSaga(),
                                traffic.averageBytes(), traffic.topic());
                        if (traffic.topic().equals(journalTopic) && traffic.averageValueBytes() > 0) {
                            journalBytes = (int) traffic.averageValueBytes();
                        }
                    }
                    List<StepResult> steps = ladder(target, rates);
                    ladders.add(new Report.Ladder(APP, "The orchestrator (demo profile: orchestrator and the four "
                            + "reference participants in this JVM), driven over HTTP: " + inJvmCompletion + ".",
                            steps, Report.maxSustainable(steps), topSustainable(steps, rates), wire, null));
                    failed |= smokeFailed(steps);
                }
            }
            if (targets.contains("null")) {
                try (NullTarget target = new NullTarget()) {
                    List<StepResult> steps = ladder(target, floorRates);
                    ladders.add(new Report.Ladder("null", "The load generator alone: each saga ends the moment it "
                            + "starts (calibration of the harness).", steps, Report.maxSustainable(steps),
                            topSustainable(steps, floorRates), List.of(), null));
                }
            }
            for (String variant : List.of("floor", "floor-journal")) {
                if (!targets.contains(variant)) {
                    continue;
                }
                boolean journal = variant.equals("floor-journal");
                String label = journal ? FLOOR_JOURNAL : FLOOR;
                KafkaFloor.Batching batching = new KafkaFloor.Batching(
                        Integer.parseInt(property(app, "kafka.producer.linger-ms", "1")),
                        Integer.parseInt(property(app, "kafka.consumer.fetch-min-bytes", "1")),
                        Integer.parseInt(property(app, "kafka.consumer.fetch-max-wait-ms", "500")));
                try (KafkaFloor floor = new KafkaFloor(label, kafka, batching, partitions, replication, journal,
                        journalBytes).start()) {
                    List<WireProfile.TopicTraffic> wire = wireProfileSagas <= 0 ? List.of()
                            : WireProfile.measure(kafka, floor, wireProfileSagas, topic -> floor.topics().contains(topic));
                    List<StepResult> steps = ladder(floor, floorRates);
                    String description = "Raw kafka-clients on the same broker: per saga " + KafkaFloor.roundTrips()
                            + " with the application's message bodies and headers, echo "
                            + "participants, sagas pipelined, clients configured as the application's (acks=all, "
                            + "idempotent, " + batching + ")"
                            + (journal ? "; plus " + KafkaFloor.stateRecordsPerSaga() + " state records per saga ("
                                    + journalBytes + "-byte values, the size of "
                                    + "the orchestrator's journal records) to a compacted topic, each step's commands "
                                    + "sent once its record is acknowledged." : ".");
                    ladders.add(new Report.Ladder(label, description, steps, Report.maxSustainable(steps),
                            topSustainable(steps, floorRates), wire, null));
                    failed |= smokeFailed(steps);
                    if (floor.strayReplies() > 0) {
                        log("  %s: %d stray replies", label, floor.strayReplies());
                    }
                }
            }
            if (targets.contains(REPLICAS)) {
                if (app != null) {
                    // nothing of it may compete with the replicas for the cores
                    log("Stopping the application ...");
                    OrderSagaApplication stopping = app;
                    app = null;
                    stopping.stop();
                }
                for (int replicas : replicaCounts) {
                    Report.Ladder ladder = replicaLadder(replicas, partitions);
                    ladders.add(ladder);
                    failed |= smokeFailed(ladder.steps());
                }
            }
        } finally {
            if (app != null) {
                log("Stopping the application ...");
                app.stop();
            }
        }
        String summary = Report.summary(ladders, sloMillis);
        Report.Run report = new Report.Run(startedAt.toString(), machine, settings, ladders, summary);
        Report.write(report, out, name);
        log("%s", summary);
        log("Wrote %s/%s.md, .json and .svg", out, name);
        if (smoke && failed) {
            log("SMOKE FAILED: a step had errors, unfinished sagas or no completed saga");
            return 1;
        }
        return 0;
    }

    /**
     * The orchestrator's ladder against {@code replicas} replicas in processes of their own, beside one process with
     * the broker and the participants (all started for this ladder and stopped after it): POSTs to the replicas in
     * turn, the ends of the sagas seen on the order topic, the CPU of every process measured.
     */
    private Report.Ladder replicaLadder(int replicas, int partitions) throws Exception {
        String name = REPLICAS + "-" + replicas;
        Path logDir = Path.of("target", "bench", name);
        log("Starting %s: the broker and the participants in one process, %d orchestrator replica%s, %d partitions "
                + "(logs in %s) ...", name, replicas, replicas == 1 ? "" : "s", partitions, logDir);
        long t = System.nanoTime();
        try (ReplicaCluster cluster = new ReplicaCluster(replicas, partitions, replicaProperties(),
                replicaJavaOptions(), logDir)) {
            cluster.start(Duration.ofMinutes(3));
            List<Report.Replica> atStart = cluster.describe();
            log("  %s ready in %.1f s; partitions owned: %s", name, (System.nanoTime() - t) / 1e9, atStart.stream()
                    .map(r -> r.name() + " " + r.partitionsOwned()).collect(Collectors.joining(", ")));
            try (OrderTopicTail tail = new OrderTopicTail(clientConfig(cluster.bootstrapServers()),
                    ReplicaCluster.setting(sets, "topics.orders"));
                 HttpSagaTarget target = new HttpSagaTarget(name, cluster.apiUrls(), tail,
                         HttpSagaTarget.Completion.HOOK)) {
                // nothing to count in this JVM: the system under test runs in the cluster's processes
                OpenLoop loop = new OpenLoop(sloMillis, cluster.watched(), null);
                double[] warmedUp = warmUp(target, rates, loop);
                List<StepResult> steps = ladder(target, rates, loop, false);
                List<Report.Replica> atEnd = cluster.describe();
                log("  %s: sagas begun per replica (JIT warm-up included): %s", name, atEnd.stream()
                        .map(r -> r.name() + " " + r.sagasStarted()).collect(Collectors.joining(", ")));
                String description = String.format(Locale.ROOT, "%d orchestrator replica%s (profile orchestrator, "
                                + "each in its own JVM, `%s`), one more JVM with the embedded broker and the four "
                                + "reference participants (profile participants), %d partitions; %s.", replicas, replicas == 1 ? "" : "s",
                        String.join(" ", replicaJavaOptions()), partitions, REPLICA_COMPLETION);
                return new Report.Ladder(name, description, steps, Report.maxSustainable(steps),
                        topSustainable(steps, rates), List.of(),
                        new Report.ReplicaSetup(replicas, partitions, atStart, atEnd, warmedUp[0], warmedUp[1]));
            }
        }
    }

    /** The application properties of the replica processes: the stock and credit every order needs, then --set. */
    private Map<String, String> replicaProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("participants.inventory.stock", HttpSagaTarget.SKU + ":1000000000:1.00");
        properties.put("participants.payment.credit-limits", HttpSagaTarget.CARD + ":100000000000.00");
        properties.putAll(sets);
        return properties;
    }

    private static List<String> replicaJavaOptions() {
        String options = System.getenv("BENCH_REPLICA_JAVA_OPTS");
        return List.of((options == null || options.isBlank() ? DEFAULT_REPLICA_JAVA_OPTS : options).trim()
                .split("\\s+"));
    }

    /** A ladder in this JVM, after its JIT warm-up. */
    private List<StepResult> ladder(SagaTarget target, List<Integer> ladderRates) throws InterruptedException {
        OpenLoop loop = new OpenLoop(sloMillis, accounting);
        // whose Kafka clients the per-saga figures put on which side
        accounting.clientsBySide().forEach((side, clients) -> log("  %s: Kafka clients counted as %s: %s",
                target.name(), side, String.join(", ", clients)));
        warmUp(target, ladderRates, loop);
        return ladder(target, ladderRates, loop, profile);
    }

    /**
     * Compiles the hot paths before the first step: {@code --jit-warmup} seconds at {@code --jit-warmup-rate} (or
     * the ladder's first rate), not reported, then on in rounds while the system's JIT compilers are still busy: on 2
     * cores under load they lag far behind (2 replicas, 90 s at 50/s: 0.66 cores of compiler threads still, against
     * 0.09 with 1 replica; in one JVM, 30 s left the application using twice the CPU per saga it settles at).
     *
     * @return the seconds it took, and the JIT compilers' CPU (cores) over its last round
     */
    private double[] warmUp(SagaTarget target, List<Integer> ladderRates, OpenLoop loop)
            throws InterruptedException {
        if (jitWarmup <= 0 || ladderRates.isEmpty()) {
            return new double[] {0, Double.NaN};
        }
        int warmRate = jitWarmupRate != null ? jitWarmupRate : ladderRates.get(0);
        StepResult warm = loop.run(target, warmRate, jitWarmup, 1, drain);
        double seconds = jitWarmup + 1;
        log("  %s: JIT warm-up, %.0f s at %d/s (not reported): p99 %.1f ms", target.name(), seconds, warmRate,
                warm.p99Ms());
        double settling = 0;
        double jit;
        do {
            StepResult round = loop.run(target, warmRate, 0, JIT_SETTLE_ROUND_SECONDS, drain);
            settling += JIT_SETTLE_ROUND_SECONDS;
            jit = round.cpu().jitCores();
            log("  %s: warm-up round, %.0f s at %d/s: JIT compiler threads %.2f cores, p99 %.1f ms", target.name(),
                    JIT_SETTLE_ROUND_SECONDS, warmRate, jit, round.p99Ms());
        } while (jit > JIT_QUIET_CORES && settling < JIT_SETTLE_MAX_SECONDS);
        seconds += settling;
        if (jit > JIT_QUIET_CORES) {
            log("  %s: WARNING: the JIT compilers still use %.2f cores after %.0f s of warm-up", target.name(), jit,
                    seconds);
        }
        System.gc();
        return new double[] {seconds, jit};
    }

    /** @param profiled a JFR profile of each measured window (of this JVM) */
    private List<StepResult> ladder(SagaTarget target, List<Integer> ladderRates, OpenLoop loop, boolean profiled)
            throws InterruptedException {
        List<StepResult> steps = new ArrayList<>();
        for (int rate : ladderRates) {
            StepResult step = loop.run(target, rate, warmup, seconds, drain, profiled
                    ? Path.of("target", "bench", "jfr", target.name().replace('+', '-') + "-" + rate + ".jfr") : null);
            steps.add(step);
            System.out.println(step.line());
            if (step.accountingLine() != null) {
                System.out.println(step.accountingLine());
            }
            System.out.flush();
            if (step.p99Ms() > GIVE_UP_P99_MS || step.completedPerSecond() < GIVE_UP_COMPLETED_FRACTION * rate
                    || step.errorCount() > 0.01 * Math.max(1, step.measuredSagas())) {
                log("  %s: stopping its ladder at %d/s", target.name(), rate);
                if (!loop.awaitQuiet(120)) {
                    log("  %s: %d sagas still in flight after 2 more minutes", target.name(), loop.inFlight());
                }
                break;
            }
            // start each step from a collected heap and a quiet moment
            System.gc();
            Thread.sleep(smoke ? 200 : 2000);
        }
        return steps;
    }

    private static boolean topSustainable(List<StepResult> steps, List<Integer> ladderRates) {
        Integer max = Report.maxSustainable(steps);
        return max != null && max.equals(ladderRates.stream().max(Integer::compare).orElse(null));
    }

    private boolean smokeFailed(List<StepResult> steps) {
        return steps.isEmpty() || steps.stream().anyMatch(s -> s.errorCount() > 0 || s.completedOk() == 0);
    }

    private static String property(OrderSagaApplication app, String key, String fallback) {
        return app.camelContext().getPropertiesComponent().resolveProperty(key).filter(v -> !v.isBlank()).orElse(fallback);
    }

    /** The floor's clients: the same cluster, and the same security settings as the application's (from the env). */
    private static Map<String, Object> clientConfig(String bootstrapServers) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        Map<String, String> security = Map.of(
                "KAFKA_SECURITY_PROTOCOL", "security.protocol",
                "KAFKA_SASL_MECHANISM", "sasl.mechanism",
                "KAFKA_SASL_JAAS_CONFIG", "sasl.jaas.config",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "ssl.truststore.location",
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", "ssl.truststore.password",
                "KAFKA_SSL_TRUSTSTORE_TYPE", "ssl.truststore.type");
        security.forEach((env, key) -> {
            String value = System.getenv(env);
            if (value != null && !value.isBlank()) {
                config.put(key, value);
            }
        });
        return config;
    }

    /** @param app the application in this JVM, null when only the replicas run */
    private Report.Machine machine(OrderSagaApplication app, double loadAtStart, String external) {
        String cpu = firstMatch(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
        long memoryMb = firstMatch(Path.of("/proc/meminfo"), "MemTotal")
                .map(v -> Long.parseLong(v.replaceAll("\\D", "")) / 1024).orElse(-1L);
        String os = firstMatch(Path.of("/etc/os-release"), "PRETTY_NAME").map(v -> v.replace("\"", ""))
                .orElse(System.getProperty("os.name"));
        String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        String jvmArgs = String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-Dlog4j2")).toList());
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
        return new Report.Machine(Runtime.getRuntime().availableProcessors(), cpu, memoryMb, os,
                System.getProperty("os.version"), jvm, jvmArgs, Runtime.getRuntime().maxMemory() / 1048576, gcs,
                org.apache.kafka.common.utils.AppInfoParser.getVersion(),
                app != null ? app.camelContext().getVersion() : camelVersion(),
                external != null && !external.isBlank() ? "external, " + external
                        : app == null ? "embedded single-node KRaft broker in the participants' process"
                        : targets.contains(REPLICAS) ? "embedded single-node KRaft broker in the same JVM (replicas: "
                                + "in the participants' process)"
                        : "embedded single-node KRaft broker in the same JVM",
                System.getProperty("bench.commit", "unknown"), CpuMeter.round(loadAtStart, 2));
    }

    /** Camel's version without a CamelContext: from camel-base-engine's Maven metadata. */
    private static String camelVersion() {
        try (var in = Benchmark.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.apache.camel/camel-base-engine/pom.properties")) {
            java.util.Properties properties = new java.util.Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static java.util.Optional<String> firstMatch(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> l.substring(l.indexOf(l.contains(":") && !l.contains("=") ? ':' : '=') + 1).trim());
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static String logConfig(Path file) throws IOException {
        // the application's own configuration (levels, layout), with its console appender turned into a file
        String config;
        try (var in = Benchmark.class.getClassLoader().getResourceAsStream("log4j2.properties")) {
            config = in == null ? "rootLogger.level = info\nappender.console.type = Console\nappender.console.name = "
                    + "console\nrootLogger.appenderRef.console.ref = console\n"
                    : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return config.replace("appender.console.type = Console",
                "appender.console.type = File\nappender.console.fileName = " + file.toAbsolutePath()
                        + "\nappender.console.append = false");
    }

    private static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    private static Map<String, List<String>> parse(String[] argv) {
        Map<String, List<String>> args = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument " + arg);
            }
            String key = arg.substring(2);
            String value = null;
            int eq = key.indexOf('=');
            if (eq > 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            if (key.equals("smoke") || key.equals("profile")) {
                args.put(key, List.of());
                continue;
            }
            if (!List.of("rates", "floor-rates", "warmup", "seconds", "drain", "slo-ms", "targets", "replicas",
                    "completion", "set", "out", "name", "wire-sagas", "jit-warmup", "jit-warmup-rate").contains(key)) {
                throw new IllegalArgumentException("Unknown option --" + key);
            }
            if (value == null) {
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException("--" + key + " needs a value");
                }
                value = argv[++i];
            }
            args.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return args;
    }

    private static String one(Map<String, List<String>> args, String key, String fallback) {
        List<String> values = args.get(key);
        return values == null || values.isEmpty() ? fallback : values.get(values.size() - 1);
    }

    private static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
    }

    private static String join(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
