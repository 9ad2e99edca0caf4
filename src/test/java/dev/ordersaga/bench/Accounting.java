package dev.ordersaga.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What a saga costs, counted rather than timed (issue 14): Camel exchanges, Kafka produce and fetch requests, JSON
 * encodes and decodes, log lines and bytes allocated, each the difference between a step's measured window's start
 * and end, divided by the sagas completed in the window. Everything is read from counters this JVM keeps anyway
 * (Camel's and Kafka's JMX statistics, the allocation counters of its threads, the application log's length) or, for
 * JSON, from {@link JsonCounts}; so a snapshot at the window's edges costs nothing while the window runs.
 *
 * <p>Kafka's counters are per client: a client closed during the window takes its figures with it (the window's
 * start value cannot be matched, and it is left out: {@link PerSaga#kafkaClientsGone} says how many), and a client
 * created during it counts from zero. The demo's clients live as long as the application, the floor's as long as its
 * ladder, so in practice neither happens within a window.
 */
final class Accounting {

    /**
     * The clients of the orchestrator, of the reference participants, of the floor's driver (its commands, journal
     * and reply consumer: the orchestrator's part) and of its echo participants, of the benchmark itself.
     */
    static final String ORCHESTRATOR = "orchestrator";
    static final String PARTICIPANTS = "participants";
    static final String FLOOR_DRIVER = "floor-driver";
    static final String FLOOR_PARTICIPANTS = "floor-participants";
    static final String BENCHMARK = "benchmark";
    static final String OTHER = "other";

    /**
     * One side's Kafka clients over the window, per saga. {@code produceRequests}: the producers' requests
     * ({@code request-total}: produce requests, and the rare metadata request); {@code recordsSent}: records they
     * sent; {@code fetchRequests}: the consumers' fetch requests ({@code fetch-total}).
     */
    record KafkaCounts(double produceRequests, double recordsSent, double fetchRequests) {
    }

    /**
     * The window's counts per completed saga; {@code sagas} the divisor. {@code camelExchanges}: NaN when Camel's
     * JMX statistics are off; zero when no Camel runs the target (the floors, though the idle application's are
     * still counted). {@code allocatedBytes}: by every thread of this JVM (broker, application, generator, all),
     * {@code generatorAllocatedBytes} of which by the load generator's threads.
     */
    record PerSaga(long sagas, double camelExchanges, Map<String, KafkaCounts> kafka, int kafkaClientsGone,
                   double jsonEncodes, double jsonDecodes, double logLines, double logBytes, double allocatedBytes,
                   double generatorAllocatedBytes) {

        /** The Kafka counts of these sides summed (all sides when none is given). */
        KafkaCounts kafkaSum(String... sides) {
            Set<String> wanted = sides.length == 0 ? kafka.keySet() : Set.of(sides);
            double produce = 0;
            double records = 0;
            double fetch = 0;
            for (Map.Entry<String, KafkaCounts> side : kafka.entrySet()) {
                if (wanted.contains(side.getKey())) {
                    produce += side.getValue().produceRequests();
                    records += side.getValue().recordsSent();
                    fetch += side.getValue().fetchRequests();
                }
            }
            return new KafkaCounts(produce, records, fetch);
        }
    }

    /** The counters at one moment; Kafka's per client, keyed "producer:id" / "consumer:id". */
    record Snapshot(long camelExchanges, Map<String, double[]> kafkaClients, long jsonEncodes, long jsonDecodes,
                    long logLength, long allocatedBytes, long generatorAllocatedBytes) {
    }

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final ObjectName CAMEL_CONTEXTS = name("org.apache.camel:type=context,*");
    private static final ObjectName PRODUCERS = name("kafka.producer:type=producer-metrics,client-id=*");
    private static final ObjectName CONSUMERS = name("kafka.consumer:type=consumer-fetch-manager-metrics,client-id=*");

    private final Path log;

    /** @param log the application's log file, whose new lines in a window are the window's log lines */
    Accounting(Path log) {
        this.log = log;
    }

    Snapshot snapshot() {
        // allocations last: the window's first snapshot's own (JMX reads) are then not in its count; the last one's
        // are, a few tens of kB against megabytes
        long exchanges = camelExchanges();
        Map<String, double[]> kafka = kafkaClients();
        long encodes = JsonCounts.encodes();
        long decodes = JsonCounts.decodes();
        long logLength = logLength();
        long[] allocated = allocatedBytes();
        return new Snapshot(exchanges, kafka, encodes, decodes, logLength, allocated[0], allocated[1]);
    }

    /** The figures between two snapshots, per saga; counts the log's new lines (reads the file: after the window). */
    PerSaga perSaga(Snapshot start, Snapshot end, long sagas) {
        double n = sagas > 0 ? sagas : Double.NaN;
        Map<String, double[]> sides = new TreeMap<>();
        int gone = 0;
        for (Map.Entry<String, double[]> client : end.kafkaClients().entrySet()) {
            double[] before = start.kafkaClients().getOrDefault(client.getKey(), new double[3]);
            double[] side = sides.computeIfAbsent(side(client.getKey()), k -> new double[3]);
            for (int i = 0; i < 3; i++) {
                side[i] += Math.max(0, client.getValue()[i] - before[i]);
            }
        }
        for (String client : start.kafkaClients().keySet()) {
            if (!end.kafkaClients().containsKey(client)) {
                gone++;
            }
        }
        Map<String, KafkaCounts> kafka = new TreeMap<>();
        sides.forEach((side, c) -> kafka.put(side, new KafkaCounts(CpuMeter.round(c[0] / n, 2),
                CpuMeter.round(c[1] / n, 2), CpuMeter.round(c[2] / n, 2))));
        long[] logDelta = logLines(start.logLength(), end.logLength());
        return new PerSaga(sagas,
                start.camelExchanges() < 0 || end.camelExchanges() < 0 ? Double.NaN
                        : CpuMeter.round((end.camelExchanges() - start.camelExchanges()) / n, 2),
                kafka, gone,
                CpuMeter.round((end.jsonEncodes() - start.jsonEncodes()) / n, 2),
                CpuMeter.round((end.jsonDecodes() - start.jsonDecodes()) / n, 2),
                logDelta[0] < 0 ? Double.NaN : CpuMeter.round(logDelta[0] / n, 2),
                logDelta[1] < 0 ? Double.NaN : CpuMeter.round(logDelta[1] / n, 0),
                end.allocatedBytes() < 0 ? Double.NaN
                        : CpuMeter.round((end.allocatedBytes() - start.allocatedBytes()) / n, 0),
                end.generatorAllocatedBytes() < 0 ? Double.NaN
                        : CpuMeter.round((end.generatorAllocatedBytes() - start.generatorAllocatedBytes()) / n, 0));
    }

    /** The Kafka clients of this JVM now, by side, for the log: what the per-side figures are made of. */
    Map<String, Set<String>> clientsBySide() {
        Map<String, Set<String>> bySide = new TreeMap<>();
        kafkaClients().keySet().forEach(client -> bySide.computeIfAbsent(side(client), k -> new TreeSet<>())
                .add(client));
        return bySide;
    }

    /**
     * Whose client this is, by its client id. The application's one producer is order-saga-writes (in the demo it
     * carries the participants' replies too, so they count as the orchestrator's); its consumers are camel-kafka's,
     * which Kafka names after their group and static member id (consumer-&lt;group&gt;-&lt;instance&gt;: the group
     * order-saga-orchestrator, or a participant's order-saga.reference-participants.&lt;service&gt;). A consumer
     * without a group is consumer-null-&lt;n&gt;: of those, only the orchestrator's tail of the order topic
     * (KafkaOrderStore) lives on after the start (the journal and the ledgers are read back once, then closed). The
     * floor's clients start with floor- (its driver's are named in {@link #FLOOR_DRIVER_CLIENTS}), the benchmark's
     * with bench-.
     */
    static String side(String client) {
        String id = client.substring(client.indexOf(':') + 1);
        if (id.startsWith("floor-")) {
            return FLOOR_DRIVER_CLIENTS.contains(id) ? FLOOR_DRIVER : FLOOR_PARTICIPANTS;
        }
        if (id.startsWith("bench-")) {
            return BENCHMARK;
        }
        if (id.startsWith("consumer-order-saga.reference-participants.")) {
            return PARTICIPANTS;
        }
        if (id.startsWith("order-saga-") || id.startsWith("consumer-order-saga-") || id.startsWith("consumer-null-")) {
            return ORCHESTRATOR;
        }
        return OTHER;
    }

    /** KafkaFloor's driver: its command and journal producers and its reply consumer. */
    private static final Set<String> FLOOR_DRIVER_CLIENTS = Set.of("floor-commands", "floor-journal",
            "floor-driver-replies");

    /** ExchangesTotal of every Camel context in this JVM (one here); -1 when Camel's JMX statistics are off. */
    private static long camelExchanges() {
        try {
            Set<ObjectName> contexts = JMX.queryNames(CAMEL_CONTEXTS, null);
            if (contexts.isEmpty()) {
                return 0; // no Camel in this JVM: no exchanges
            }
            long total = 0;
            for (ObjectName context : contexts) {
                Object value = JMX.getAttribute(context, "ExchangesTotal");
                if (!(value instanceof Number number)) {
                    return -1;
                }
                total += number.longValue();
            }
            return total;
        } catch (Exception e) {
            return -1;
        }
    }

    /** {request-total, record-send-total, 0} of every producer, {0, 0, fetch-total} of every consumer. */
    private static Map<String, double[]> kafkaClients() {
        Map<String, double[]> clients = new HashMap<>();
        for (ObjectName producer : JMX.queryNames(PRODUCERS, null)) {
            double requests = metric(producer, "request-total");
            double records = metric(producer, "record-send-total");
            if (!Double.isNaN(requests)) {
                clients.put("producer:" + producer.getKeyProperty("client-id"),
                        new double[] {requests, Double.isNaN(records) ? 0 : records, 0});
            }
        }
        for (ObjectName consumer : JMX.queryNames(CONSUMERS, null)) {
            double fetches = metric(consumer, "fetch-total");
            if (!Double.isNaN(fetches)) {
                clients.put("consumer:" + consumer.getKeyProperty("client-id"), new double[] {0, 0, fetches});
            }
        }
        return clients;
    }

    private static double metric(ObjectName name, String attribute) {
        try {
            return JMX.getAttribute(name, attribute) instanceof Number number ? number.doubleValue() : Double.NaN;
        } catch (Exception e) {
            return Double.NaN; // closed meanwhile
        }
    }

    /** {all threads, the load generator's threads}, in bytes allocated since they started; -1 when unsupported. */
    private static long[] allocatedBytes() {
        if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) {
            return new long[] {-1, -1};
        }
        long[] ids = THREADS.getAllThreadIds();
        java.lang.management.ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        long generator = 0;
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && bytes[i] > 0 && CpuMeter.isGenerator(infos[i].getThreadName())) {
                generator += bytes[i];
            }
        }
        // the total includes the threads that ended, which the per-thread figures cannot
        return new long[] {THREADS.getTotalThreadAllocatedBytes(), generator};
    }

    private long logLength() {
        try {
            return log == null ? -1 : Files.size(log);
        } catch (IOException e) {
            return -1;
        }
    }

    /** {lines, bytes} the log grew by between two lengths; {-1, -1} when it cannot be read. */
    private long[] logLines(long from, long to) {
        if (from < 0 || to < from) {
            return new long[] {-1, -1};
        }
        long lines = 0;
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            long position = from;
            while (position < to) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), to - position));
                int read = channel.read(buffer, position);
                if (read <= 0) {
                    break;
                }
                for (int i = 0; i < read; i++) {
                    if (buffer.get(i) == '\n') {
                        lines++;
                    }
                }
                position += read;
            }
        } catch (IOException e) {
            return new long[] {-1, -1};
        }
        return new long[] {lines, to - from};
    }

    private static ObjectName name(String pattern) {
        try {
            return new ObjectName(pattern);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(pattern, e);
        }
    }

    /** The sides in the order the report shows them. */
    static final List<String> SIDES = List.of(ORCHESTRATOR, PARTICIPANTS, FLOOR_DRIVER, FLOOR_PARTICIPANTS, BENCHMARK,
            OTHER);

    /** The sides that are the target's own system: what its per-saga Kafka figures add up. */
    static String[] sidesOf(String target) {
        return target.startsWith(Benchmark.FLOOR) ? new String[] {FLOOR_DRIVER, FLOOR_PARTICIPANTS}
                : new String[] {ORCHESTRATOR, PARTICIPANTS};
    }
}
