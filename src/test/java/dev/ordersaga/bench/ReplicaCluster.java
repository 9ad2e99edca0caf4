package dev.ordersaga.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import dev.ordersaga.testsupport.FreePort;
import dev.ordersaga.testsupport.PackagedConfig;

/**
 * The system under test of the replica comparison, each part in a JVM of its own as in production: one process with
 * the embedded Kafka broker and the four reference participants (profile {@code participants}), and N orchestrator
 * replicas (profile {@code orchestrator}, each with its own {@code ORCHESTRATOR_INSTANCE_ID}), all with the same
 * partition count. {@link #start} returns once every process is ready and the replicas' consumer group has settled:
 * the {@code ordersaga_partitions_owned} gauges of the replicas add up to the partition count, every replica owns
 * some, and that has held for two seconds.
 */
final class ReplicaCluster implements AutoCloseable {

    /** Roles of the processes, for their CPU in the report. */
    static final String ORCHESTRATOR = "orchestrator";
    static final String INFRA = "broker+participants";

    static final String PARTITIONS_OWNED = "ordersaga_partitions_owned";
    static final String SAGAS_STARTED = "ordersaga_sagas_started_total";

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final int replicas;
    private final int partitions;
    private final Path logDir;
    private final Path brokerData;
    private final String bootstrapServers;
    private final BenchProcess infrastructure;
    private final List<BenchProcess> orchestrators = new ArrayList<>();
    /** Should the benchmark be stopped (Ctrl-C) before {@link #close}: no process of ours outlives it. */
    private final Thread killOnExit = new Thread(this::killAll, "bench-kill-replica-cluster");

    /**
     * @param properties application properties for every process (the benchmark's {@code --set}), as environment
     *                   variables the way the application reads them
     * @param javaOptions the JVM options of every process
     */
    ReplicaCluster(int replicas, int partitions, Map<String, String> properties, List<String> javaOptions, Path logDir)
            throws IOException {
        this.replicas = replicas;
        this.partitions = partitions;
        this.logDir = Files.createDirectories(logDir);
        Map<String, String> common = new LinkedHashMap<>();
        properties.forEach((key, value) -> common.put(environmentName(key), value));
        common.put("TOPICS_PARTITIONS", Integer.toString(partitions));

        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        Map<String, String> infra = new LinkedHashMap<>(common);
        if (external == null || external.isBlank()) {
            int brokerPort = FreePort.next();
            brokerData = Files.createTempDirectory("ordersaga-bench-broker-");
            infra.put("BROKER_EMBEDDED", "true");
            infra.put("BROKER_EMBEDDED_PORT", Integer.toString(brokerPort));
            infra.put("BROKER_EMBEDDED_DATA_DIR", brokerData.toString());
            bootstrapServers = "127.0.0.1:" + brokerPort;
        } else {
            brokerData = null;
            bootstrapServers = external;
        }
        // every order approved: stock and credit for the whole run (as the single-JVM target has)
        infra.putIfAbsent("PARTICIPANTS_INVENTORY_STOCK", HttpSagaTarget.SKU + ":1000000000:1.00");
        infra.putIfAbsent("PARTICIPANTS_PAYMENT_CREDIT_LIMITS", HttpSagaTarget.CARD + ":100000000000.00");
        infrastructure = new BenchProcess("broker-and-participants", "participants", infra, javaOptions, logDir);
        for (int i = 1; i <= replicas; i++) {
            Map<String, String> env = new LinkedHashMap<>(common);
            env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
            env.put("ORCHESTRATOR_INSTANCE_ID", "bench-orchestrator-" + i);
            orchestrators.add(new BenchProcess("orchestrator-" + i, "orchestrator", env, javaOptions, logDir));
        }
    }

    /** Starts the broker and participants, then the replicas together; waits as the class comment says. */
    ReplicaCluster start(Duration timeout) throws IOException, InterruptedException {
        Runtime.getRuntime().addShutdownHook(killOnExit);
        long deadline = System.nanoTime() + timeout.toNanos();
        infrastructure.start().awaitReady(deadline);
        orchestrators.forEach(BenchProcess::start);
        for (BenchProcess orchestrator : orchestrators) {
            orchestrator.awaitReady(deadline);
        }
        List<Integer> previous = null;
        long stableSince = 0;
        while (true) {
            List<Integer> owned = partitionsOwned();
            int sum = owned.stream().mapToInt(Integer::intValue).sum();
            boolean settled = sum == partitions
                    && (replicas > partitions || owned.stream().allMatch(count -> count > 0));
            if (settled && owned.equals(previous)) {
                if (System.nanoTime() - stableSince >= Duration.ofSeconds(2).toNanos()) {
                    return this;
                }
            } else {
                stableSince = System.nanoTime();
            }
            previous = owned;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The replicas did not settle on the " + partitions
                        + " partitions in time: they own " + owned + "; see " + logDir);
            }
            Thread.sleep(250);
        }
    }

    int replicas() {
        return replicas;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    List<String> apiUrls() {
        return orchestrators.stream().map(BenchProcess::apiUrl).toList();
    }

    /** Every process, for its CPU. */
    List<CpuMeter.Watched> watched() {
        List<CpuMeter.Watched> watched = new ArrayList<>();
        watched.add(new CpuMeter.Watched(infrastructure.name(), INFRA, infrastructure.handle()));
        for (BenchProcess orchestrator : orchestrators) {
            watched.add(new CpuMeter.Watched(orchestrator.name(), ORCHESTRATOR, orchestrator.handle()));
        }
        return watched;
    }

    /** Each replica's {@code ordersaga_partitions_owned}, in replica order (0 while it cannot be read). */
    List<Integer> partitionsOwned() {
        return orchestrators.stream().map(o -> (int) metricOrZero(o, PARTITIONS_OWNED)).toList();
    }

    /** Each replica: the partitions it owns and the sagas it has begun so far. */
    List<Report.Replica> describe() {
        return orchestrators.stream().map(o -> new Report.Replica(o.name(), (int) metricOrZero(o, PARTITIONS_OWNED),
                (long) metricOrZero(o, SAGAS_STARTED))).toList();
    }

    private static double metricOrZero(BenchProcess process, String metric) {
        try {
            double value = process.metric(metric);
            return Double.isNaN(value) ? 0 : value;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The replicas first (SIGTERM, together: each hands its partitions over), then the broker and participants. */
    @Override
    public void close() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down already, or never started
        }
        List<Thread> stopping = new ArrayList<>();
        for (BenchProcess orchestrator : orchestrators) {
            Thread thread = new Thread(() -> {
                try {
                    orchestrator.stop(STOP_TIMEOUT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-stop-" + orchestrator.name());
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            thread.join();
        }
        infrastructure.stop(STOP_TIMEOUT);
        if (brokerData != null) {
            try (Stream<Path> files = Files.walk(brokerData)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("Could not delete " + brokerData + ": " + e.getMessage());
            }
        }
    }

    private void killAll() {
        orchestrators.forEach(BenchProcess::kill);
        infrastructure.kill();
    }

    /** An application property as the environment variable that overrides it: upper case, '.' and '-' as '_'. */
    static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** A setting as the processes will see it: the benchmark's {@code --set}, else config/application.properties. */
    static String setting(Map<String, String> sets, String key) {
        String set = sets.get(key);
        if (set != null) {
            return set;
        }
        return PackagedConfig.value(key);
    }
}
