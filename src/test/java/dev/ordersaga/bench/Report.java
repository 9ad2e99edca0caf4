package dev.ordersaga.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The results of a run, as Markdown, JSON and an SVG plot of latency percentiles against offered rate. */
final class Report {

    record Machine(int cores, String cpuModel, long memoryMb, String os, String kernel, String jvm, String jvmArguments,
                   long maxHeapMb, String garbageCollectors, String kafkaClients, String camel, String broker,
                   String commit, double loadAverageAtStart) {
    }

    record Settings(String mode, double warmupSeconds, double measureSeconds, double drainSeconds, double sloMillis,
                    String completion, int partitions, Map<String, String> appOverrides) {
    }

    /**
     * One target's ladder; {@code maxSustainable} null when no step was sustainable; {@code replicaSetup} only for
     * the replica comparison's ladders.
     */
    record Ladder(String target, String description, List<StepResult> steps, Integer maxSustainable,
                  boolean maxIsTopOfLadder, List<WireProfile.TopicTraffic> wirePerSaga, ReplicaSetup replicaSetup) {
    }

    /** One orchestrator replica: the partitions it owned ({@code ordersaga_partitions_owned}), the sagas it began. */
    record Replica(String name, int partitionsOwned, long sagasStarted) {
    }

    /**
     * How a ladder of the replica comparison ran: each replica before the ladder and after it; how long its JIT
     * warm-up took, and the JIT compiler threads' CPU (all processes, cores) over the warm-up's last round.
     */
    record ReplicaSetup(int replicas, int partitions, List<Replica> atStart, List<Replica> atEnd,
                        double jitWarmupSeconds, double jitCoresAfterWarmup) {
    }

    record Run(String startedAt, Machine machine, Settings settings, List<Ladder> ladders, String summary) {
    }

    private Report() {
    }

    /**
     * The highest rate tried whose sagas the system kept up with, whatever their latency: backlog not growing, no
     * errors, nothing unfinished. Null when none.
     */
    static Integer maxKeptUp(List<StepResult> steps) {
        Integer max = null;
        for (StepResult step : steps) {
            if (!step.backlogGrew() && step.errorCount() == 0 && step.completedOk() > 0
                    && (max == null || step.offeredPerSecond() > max)) {
                max = step.offeredPerSecond();
            }
        }
        return max;
    }

    static Integer maxSustainable(List<StepResult> steps) {
        Integer max = null;
        for (StepResult step : steps) {
            if (step.sustainable() && (max == null || step.offeredPerSecond() > max)) {
                max = step.offeredPerSecond();
            }
        }
        return max;
    }

    static String summary(List<Ladder> ladders, double sloMillis) {
        StringBuilder text = new StringBuilder();
        Ladder ours = ladders.stream().filter(l -> l.target().equals(Benchmark.APP)).findFirst().orElse(null);
        Ladder floor = ladders.stream().filter(l -> l.target().equals(Benchmark.FLOOR)).findFirst().orElse(null);
        text.append(String.format(Locale.ROOT, "Max sustainable rate (p99 < %.0f ms, backlog not growing, no errors): ",
                sloMillis));
        List<String> parts = new ArrayList<>();
        for (Ladder ladder : ladders) {
            parts.add(ladder.target() + " " + describeMax(ladder));
        }
        text.append(String.join("; ", parts)).append('.');
        text.append(" Highest rate kept up with (backlog not growing, no errors, whatever the latency): ")
                .append(ladders.stream().map(l -> l.target() + " " + describeKeptUp(l))
                        .collect(java.util.stream.Collectors.joining("; "))).append('.');
        if (ours != null && floor != null && ours.maxSustainable() != null && floor.maxSustainable() != null) {
            double ratio = (double) ours.maxSustainable() / floor.maxSustainable();
            text.append(String.format(Locale.ROOT, " The orchestrator sustains %.1f%% of the Kafka floor's rate "
                    + "(ratio %.3f)", 100 * ratio, ratio));
            if (floor.maxIsTopOfLadder()) {
                text.append(", an upper bound: the floor never failed on its ladder");
            }
            Ladder journal = ladders.stream().filter(l -> l.target().equals(Benchmark.FLOOR_JOURNAL)).findFirst()
                    .orElse(null);
            if (journal != null && journal.maxSustainable() != null) {
                text.append(String.format(Locale.ROOT, "; %.1f%% of the floor with %d state records per saga",
                        100.0 * ours.maxSustainable() / journal.maxSustainable(), KafkaFloor.stateRecordsPerSaga()));
            }
            text.append('.');
        } else if (ours != null && floor != null) {
            text.append(" No ratio: a ladder had no sustainable step.");
        }
        return text.toString();
    }

    private static String describeMax(Ladder ladder) {
        if (ladder.maxSustainable() == null) {
            return "none of the rates tried";
        }
        return (ladder.maxIsTopOfLadder() ? "≥ " : "") + ladder.maxSustainable() + " sagas/s";
    }

    private static ObjectMapper mapper() {
        return new ObjectMapper().registerModule(new JavaTimeModule()).enable(SerializationFeature.INDENT_OUTPUT)
                .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    static Run read(Path json) throws IOException {
        return mapper().readValue(json.toFile(), Run.class);
    }

    static void write(Run run, Path directory, String name) throws IOException {
        Files.createDirectories(directory);
        ObjectMapper mapper = mapper();
        Files.writeString(directory.resolve(name + ".json"), mapper.writeValueAsString(run) + "\n", StandardCharsets.UTF_8);
        Files.writeString(directory.resolve(name + ".svg"), svg(run), StandardCharsets.UTF_8);
        Files.writeString(directory.resolve(name + ".md"), markdown(run, name), StandardCharsets.UTF_8);
    }

    // ---- Markdown ----------------------------------------------------------------------------------------------

    static String markdown(Run run, String name) {
        StringBuilder md = new StringBuilder();
        Machine m = run.machine();
        Settings s = run.settings();
        md.append("# Order saga benchmark: ").append(s.mode()).append(" run of ").append(run.startedAt()).append("\n\n");
        md.append(run.summary()).append("\n\n");
        md.append("![latency percentiles against offered rate](").append(name).append(".svg)\n\n");
        md.append("## Machine\n\n");
        md.append(String.format(Locale.ROOT, "%d cores (%s), %,d MB RAM; %s (kernel %s); %s; JVM options `%s`, max heap"
                        + " %,d MB, GC %s; kafka-clients %s, Camel %s; broker: %s; commit %s. Load average when the run "
                        + "started: %.2f.%n%n",
                m.cores(), m.cpuModel(), m.memoryMb(), m.os(), m.kernel(), m.jvm(), m.jvmArguments(), m.maxHeapMb(),
                m.garbageCollectors(), m.kafkaClients(), m.camel(), m.broker(), m.commit(), m.loadAverageAtStart()));
        md.append(String.format(Locale.ROOT, "Each step: %.0f s warm-up, then %.0f s measured at the same constant "
                        + "rate (open loop), then up to %.0f s for the measured sagas to end. Latency from each saga's "
                        + "scheduled start to its end, in ms. Orchestrator completion: %s. Topic partitions: %d.%n%n",
                s.warmupSeconds(), s.measureSeconds(), s.drainSeconds(), s.completion(), s.partitions()));
        for (Ladder ladder : run.ladders()) {
            if (ladder.replicaSetup() != null) {
                continue; // in their own section, below
            }
            md.append("## ").append(ladder.target()).append("\n\n").append(ladder.description()).append("\n\n");
            md.append("| offered/s | completed/s | p50 | p90 | p99 | p99.9 | max | errors | JVM CPU (cores) | "
                    + "of which generator | machine CPU | GC (ms) | load avg | max send lag (ms) | backlog | verdict |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (StepResult r : ladder.steps()) {
                String errors = r.errorCount() == 0 ? "0" : r.errorCount() + " " + r.errors()
                        + (r.unfinished() > 0 ? " unfinished " + r.unfinished() : "");
                md.append(String.format(Locale.ROOT,
                        "| %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %.2f | %.2f | %.0f%% | %d | %.1f | %.1f | %+d | %s |%n",
                        r.offeredPerSecond(), r.completedPerSecond(), r.p50Ms(), r.p90Ms(), r.p99Ms(), r.p999Ms(),
                        r.maxMs(), errors, r.cpu().jvmCores(), r.cpu().generatorCores(), r.cpu().machinePercent(),
                        r.cpu().gcMillis(), r.cpu().loadAverage(), r.maxSendLagMs(),
                        r.inFlightAtWindowEnd() - r.inFlightAtWindowStart(),
                        r.sustainable() ? "sustainable" : r.backlogGrew() ? "backlog grows" : r.errorCount() > 0
                                ? "errors" : "p99 over SLO"));
            }
            md.append("\nMax sustainable: ").append(describeMax(ladder)).append("; highest rate kept up with: ")
                    .append(describeKeptUp(ladder)).append(".\n\n");
            accountingTable(md, ladder);
            StepResult heaviest = heaviestSustainable(ladder);
            if (heaviest != null) {
                md.append("Where the CPU went at ").append(heaviest.offeredPerSecond())
                        .append("/s (cores, threads grouped by name):");
                heaviest.cpu().topThreads().stream().limit(8).forEach(t -> md.append(String.format(Locale.ROOT,
                        " `%s` %.2f;", t.threads(), t.cores())));
                md.append(String.format(Locale.ROOT, " JIT, GC and other VM threads %.2f.%n%n",
                        heaviest.cpu().vmInternalCores()));
            }
            List<StepResult> profiled = ladder.steps().stream().filter(r -> r.profile() != null).toList();
            if (!profiled.isEmpty()) {
                md.append("CPU samples of the measured window (JFR, `--profile`), by component (the broker by its "
                        + "threads, the rest by the innermost frame outside the JDK):\n\n");
                for (StepResult r : profiled) {
                    md.append(String.format(Locale.ROOT, "- %d/s (%d samples):", r.offeredPerSecond(),
                            r.profile().samples()));
                    r.profile().byComponent().forEach(c -> md.append(String.format(Locale.ROOT, " %s %.0f%%;",
                            c.name(), c.percent())));
                    md.setLength(md.length() - 1);
                    md.append(". Hottest methods:");
                    r.profile().topMethods().stream().limit(5).forEach(method -> md.append(String.format(Locale.ROOT,
                            " `%s` %.1f%%;", method.name(), method.percent())));
                    md.setLength(md.length() - 1);
                    md.append(".\n");
                }
                md.append('\n');
            }
            if (!ladder.wirePerSaga().isEmpty()) {
                md.append("Written to Kafka per saga (measured over sagas run one at a time):\n\n");
                md.append("| topic | records/saga | avg bytes (key+value+headers) | tombstones/saga |\n|---|---:|---:|---:|\n");
                double records = 0;
                double bytes = 0;
                for (WireProfile.TopicTraffic t : ladder.wirePerSaga()) {
                    md.append(String.format(Locale.ROOT, "| %s | %.2f | %.0f | %.2f |%n", t.topic(), t.recordsPerSaga(),
                            t.averageBytes(), t.tombstonesPerSaga()));
                    records += t.recordsPerSaga();
                    bytes += t.recordsPerSaga() * t.averageBytes();
                }
                md.append(String.format(Locale.ROOT, "| **total** | %.2f | %.0f per saga | |%n%n", records, bytes));
            }
        }
        perSagaSection(md, run);
        replicaSection(md, run);
        md.append("""
                ## How to read this

                - *offered/s*: the constant arrival rate; saga *i* of a step is sent at t0 + i/rate whatever happened to
                  the others (open loop). *completed/s*: sagas that ended APPROVED during the measured window, per second.
                - *p50 … max*: from each saga's **scheduled** send time to its end (coordinated omission corrected), so a
                  stall shows in full. A saga of the measured window still running when the drain gave up counts as an
                  error (*unfinished*) and is recorded with the time waited so far.
                - *backlog*: sagas in flight at the end of the measured window minus at its start. It *grows* when fewer
                  than 95% of the offered sagas ended in the window, or the in-flight count rose by more than a tenth of a
                  second's worth of arrivals.
                - *sustainable*: p99 under the SLO, backlog not growing, no errors. The max sustainable rate is the
                  highest rate **tried** that was sustainable: a lower bound, within the ladder's resolution.
                - *JVM CPU*: CPU time of the one JVM that runs everything (broker, participants, orchestrator, and the
                  load generator, whose own share is the next column) over the measured window, in cores.
                  *machine CPU*: all processes, from /proc/stat; far above the JVM's share means others were busy.
                - *max send lag*: how late the generator sent its latest request of the window (it is measured from the
                  scheduled time anyway; a large lag means the generator or the machine could not keep up).
                - Figures from a shared or busy machine (see load average) are not a measurement of the software.
                """);
        return md.toString();
    }

    // ---- per saga: what a saga costs, counted ----------------------------------------------------------------

    /** One row of the per-saga comparison: its label, its value for a target's step, shown as bytes or a count. */
    private record CountRow(String label, java.util.function.BiFunction<String, Accounting.PerSaga, Double> value,
                            boolean bytes) {
    }

    private static final List<CountRow> COUNT_ROWS = List.of(
            new CountRow("sagas counted (completed in the window)", (t, a) -> (double) a.sagas(), false),
            new CountRow("Camel exchanges", (t, a) -> a.camelExchanges(), false),
            new CountRow("Kafka produce requests",
                    (t, a) -> a.kafkaSum(Accounting.sidesOf(t)).produceRequests(), false),
            new CountRow("— the orchestrator's / the floor's driver's",
                    (t, a) -> a.kafkaSum(Accounting.sidesOf(t)[0]).produceRequests(), false),
            new CountRow("— the participants' / the floor's echo participants'",
                    (t, a) -> a.kafkaSum(Accounting.sidesOf(t)[1]).produceRequests(), false),
            new CountRow("Kafka records sent", (t, a) -> a.kafkaSum(Accounting.sidesOf(t)).recordsSent(), false),
            new CountRow("Kafka fetch requests",
                    (t, a) -> a.kafkaSum(Accounting.sidesOf(t)).fetchRequests(), false),
            new CountRow("— the orchestrator's / the floor's driver's",
                    (t, a) -> a.kafkaSum(Accounting.sidesOf(t)[0]).fetchRequests(), false),
            new CountRow("— the participants' / the floor's echo participants'",
                    (t, a) -> a.kafkaSum(Accounting.sidesOf(t)[1]).fetchRequests(), false),
            new CountRow("JSON encodes", (t, a) -> a.jsonEncodes(), false),
            new CountRow("JSON decodes", (t, a) -> a.jsonDecodes(), false),
            new CountRow("log lines", (t, a) -> a.logLines(), false),
            new CountRow("log bytes", (t, a) -> a.logBytes(), true),
            new CountRow("bytes allocated (every thread of the JVM)", (t, a) -> a.allocatedBytes(), true),
            new CountRow("— of which by the load generator's threads",
                    (t, a) -> a.generatorAllocatedBytes(), true),
            new CountRow("— without the load generator's",
                    (t, a) -> a.allocatedBytes() - a.generatorAllocatedBytes(), true));

    /**
     * The step whose per-saga figures stand for a ladder: the highest rate it kept up with (in a growing backlog the
     * window's completions are not its arrivals, and the counts per saga mean little); else its first step.
     */
    private static StepResult accountedStep(Ladder ladder) {
        Integer kept = maxKeptUp(ladder.steps());
        return ladder.steps().stream().filter(s -> s.accounting() != null)
                .filter(s -> kept == null || s.offeredPerSecond() == kept).findFirst().orElse(null);
    }

    /** "Per saga, at the highest rate each target kept up with": the orchestrator beside the floors, and ratios. */
    private static void perSagaSection(StringBuilder md, Run run) {
        List<Ladder> ladders = run.ladders().stream().filter(l -> l.replicaSetup() == null)
                .filter(l -> accountedStep(l) != null).toList();
        if (ladders.isEmpty()) {
            return;
        }
        Ladder ours = ladders.stream().filter(l -> l.target().equals(Benchmark.APP)).findFirst().orElse(null);
        List<Ladder> floors = ladders.stream().filter(l -> l.target().startsWith(Benchmark.FLOOR)).toList();
        md.append("## Per saga, at the highest rate each target kept up with\n\n");
        md.append("Counted over the step's measured window (the difference between its start and its end) and divided "
                + "by the sagas completed in it: Camel's exchanges (the context's `ExchangesTotal`), the Kafka "
                + "clients' produce requests (`request-total`), records sent (`record-send-total`) and fetch requests "
                + "(`fetch-total`), those of the target's own clients (the orchestrator and the participants, or the "
                + "floor's driver and its echo participants), the JSON documents written and read through the "
                + "application's mapper, the lines the application logged, and the bytes every thread of the JVM "
                + "allocated (the broker's, the load generator's and the idle parts' included). See bench/README.md, "
                + "\"What is measured\".\n\n");
        md.append("| per saga |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Ladder ladder : ladders) {
            StepResult step = accountedStep(ladder);
            boolean kept = maxKeptUp(ladder.steps()) != null;
            md.append(' ').append(ladder.target()).append(" (").append(step.offeredPerSecond()).append("/s")
                    .append(kept ? "" : ", did not keep up").append(") |");
            rule.append("---:|");
        }
        if (ours != null) {
            for (Ladder floor : floors) {
                md.append(" orchestrator ÷ ").append(floor.target()).append(" |");
                rule.append("---:|");
            }
        }
        md.append('\n').append(rule).append('\n');
        for (CountRow row : COUNT_ROWS) {
            md.append("| ").append(row.label()).append(" |");
            for (Ladder ladder : ladders) {
                md.append(' ').append(count(row, row.value().apply(ladder.target(), accountedStep(ladder).accounting())))
                        .append(" |");
            }
            if (ours != null) {
                double mine = row == COUNT_ROWS.get(0) ? Double.NaN // the divisor: no ratio
                        : row.value().apply(ours.target(), accountedStep(ours).accounting());
                for (Ladder floor : floors) {
                    double theirs = row.value().apply(floor.target(), accountedStep(floor).accounting());
                    md.append(' ').append(theirs > 0 && !Double.isNaN(mine)
                            ? String.format(Locale.ROOT, "%.1f×", mine / theirs) : "–").append(" |");
                }
            }
            md.append('\n');
        }
        md.append("\nThe floors run no Camel and no JSON (their bodies are canned bytes), and log nothing; their "
                + "allocation includes the idle application's (its consumers keep polling), and every column's "
                + "includes the load generator's (the row above the last). The first row's count is the divisor; a "
                + "window of a few seconds at a low rate counts few sagas, and its figures are rough.\n\n");
    }

    /** The per-saga counts of every step of a ladder, when it has them. */
    private static void accountingTable(StringBuilder md, Ladder ladder) {
        List<StepResult> steps = ladder.steps().stream().filter(s -> s.accounting() != null).toList();
        if (steps.isEmpty()) {
            return;
        }
        md.append("Per saga completed in the window (counts; Kafka: the target's own clients):\n\n");
        md.append("| offered/s | sagas | Camel exchanges | produce requests | records sent | fetch requests | "
                + "JSON encodes | JSON decodes | log lines | allocated | of which generator |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (StepResult r : steps) {
            Accounting.PerSaga a = r.accounting();
            Accounting.KafkaCounts kafka = a.kafkaSum(Accounting.sidesOf(ladder.target()));
            md.append(String.format(Locale.ROOT, "| %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.offeredPerSecond(), a.sagas(), number(a.camelExchanges(), 1),
                    number(kafka.produceRequests(), 1), number(kafka.recordsSent(), 1),
                    number(kafka.fetchRequests(), 1), number(a.jsonEncodes(), 1), number(a.jsonDecodes(), 1),
                    number(a.logLines(), 1), StepResult.bytes(a.allocatedBytes()),
                    StepResult.bytes(a.generatorAllocatedBytes())));
        }
        md.append('\n');
    }

    private static String count(CountRow row, Double value) {
        if (value == null || value.isNaN()) {
            return "–";
        }
        return row.bytes() ? StepResult.bytes(value) : number(value, row == COUNT_ROWS.get(0) ? 0 : 1);
    }

    private static String number(double value, int decimals) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    // ---- the replica comparison --------------------------------------------------------------------------------

    private static List<Ladder> replicaLadders(Run run) {
        return run.ladders().stream().filter(l -> l.replicaSetup() != null).toList();
    }

    /** "Replicas: 1 vs 2": what it shows, side by side at each rate, then each replica count's ladder in full. */
    private static void replicaSection(StringBuilder md, Run run) {
        List<Ladder> ladders = replicaLadders(run);
        if (ladders.isEmpty()) {
            return;
        }
        md.append("## Replicas: ").append(ladders.stream().map(l -> Integer.toString(l.replicaSetup().replicas()))
                .collect(java.util.stream.Collectors.joining(" vs "))).append("\n\n");
        md.append(replicaFindings(run, ladders)).append("\n\n");
        md.append("Each replica count gets a system of its own, started for its ladder and stopped after it: one JVM "
                + "with the embedded broker and the four reference participants, and the replicas, each in its own "
                + "JVM, all on this machine. The benchmark waits until every process is ready and the replicas' "
                + "`ordersaga_partitions_owned` add up to the partition count, then runs the same ladder as the "
                + "orchestrator target, sending the POSTs to the replicas in turn; a saga has ended when the "
                + "benchmark, tailing the order topic with a plain consumer, reads its order's snapshot with "
                + "`sagaEnded` (one Kafka hop more than the in-JVM hook). *orchestrators CPU*: the replicas' "
                + "processes summed (each one's after `=`), from `/proc/<pid>/stat` over the measured window, in "
                + "cores; *ms/saga*: that CPU per completed saga; *broker+participants*: their process; *generator*: "
                + "the benchmark's JVM (load generator and order-topic tail); *JIT compilers*: the C1/C2 compiler "
                + "threads of all the processes above (included in their figures); still high, the JVMs were still "
                + "compiling and the step measures that too; *rest of the machine*: the machine's CPU "
                + "(/proc/stat) minus all of these, in cores: other processes, kernel threads, steal; well above zero, "
                + "something else was competing for the cores.\n\n");

        // side by side, at every rate of the ladders
        java.util.TreeSet<Integer> rates = new java.util.TreeSet<>();
        ladders.forEach(l -> l.steps().forEach(step -> rates.add(step.offeredPerSecond())));
        md.append("| offered/s |");
        StringBuilder rule = new StringBuilder("|---:|");
        for (Ladder ladder : ladders) {
            String n = replicasLabel(ladder.replicaSetup().replicas());
            md.append(String.format(Locale.ROOT, " %s: completed/s | p50 | p99 | orchestrators CPU | ms/saga | verdict |",
                    n));
            rule.append("---:|---:|---:|---:|---:|---|");
        }
        md.append('\n').append(rule).append('\n');
        for (int rate : rates) {
            md.append("| ").append(rate).append(" |");
            for (Ladder ladder : ladders) {
                StepResult r = ladder.steps().stream().filter(step -> step.offeredPerSecond() == rate).findFirst()
                        .orElse(null);
                if (r == null) {
                    md.append(" – | – | – | – | – | not run |");
                } else {
                    md.append(String.format(Locale.ROOT, " %.1f | %.1f | %.1f | %.2f | %s | %s |",
                            r.completedPerSecond(), r.p50Ms(), r.p99Ms(), r.cpu().cores(ReplicaCluster.ORCHESTRATOR),
                            cpuMillisPerSagaText(r), verdict(r)));
                }
            }
            md.append('\n');
        }
        md.append('\n');

        for (Ladder ladder : ladders) {
            ReplicaSetup setup = ladder.replicaSetup();
            md.append("### ").append(replicasLabel(setup.replicas())).append(" (`").append(ladder.target())
                    .append("`)\n\n").append(ladder.description()).append("\n\n");
            md.append("| offered/s | completed/s | p50 | p90 | p99 | p99.9 | max | errors | orchestrators CPU (cores) "
                    + "| ms/saga | broker+participants CPU | generator CPU | JIT compilers | machine CPU | rest of the machine "
                    + "| load avg | max send lag (ms) | backlog | verdict |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (StepResult r : ladder.steps()) {
                List<CpuMeter.ProcessCpu> replicas = r.cpu().processes() == null ? List.of() : r.cpu().processes()
                        .stream().filter(p -> p.role().equals(ReplicaCluster.ORCHESTRATOR)).toList();
                String orchestrators = String.format(Locale.ROOT, "%.2f", r.cpu().cores(ReplicaCluster.ORCHESTRATOR))
                        + (replicas.size() > 1 ? " = " + replicas.stream().map(p -> String.format(Locale.ROOT, "%.2f",
                                p.cores())).collect(java.util.stream.Collectors.joining(" + ")) : "");
                md.append(String.format(Locale.ROOT,
                        "| %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %s | %s | %.2f | %.2f | %.2f | %.0f%% "
                                + "| %.2f | %.1f | %.1f | %+d | %s |%n",
                        r.offeredPerSecond(), r.completedPerSecond(), r.p50Ms(), r.p90Ms(), r.p99Ms(), r.p999Ms(),
                        r.maxMs(), errors(r), orchestrators, cpuMillisPerSagaText(r), r.cpu().cores(ReplicaCluster.INFRA),
                        r.cpu().jvmCores(), r.cpu().jitCores(), r.cpu().machinePercent(),
                        restOfMachine(r, run.machine().cores()),
                        r.cpu().loadAverage(), r.maxSendLagMs(),
                        r.inFlightAtWindowEnd() - r.inFlightAtWindowStart(), verdict(r)));
            }
            md.append("\nMax sustainable: ").append(describeMax(ladder)).append("; highest rate kept up with: ")
                    .append(describeKeptUp(ladder)).append(String.format(Locale.ROOT, ". JIT warm-up: %.0f s, its "
                            + "last 15 s with %.2f cores of JIT compiler threads", setup.jitWarmupSeconds(),
                            setup.jitCoresAfterWarmup())).append(". Partitions owned before the ladder: ")
                    .append(setup.atStart().stream().map(r -> r.name() + " " + r.partitionsOwned())
                            .collect(java.util.stream.Collectors.joining(", ")))
                    .append("; after it: ").append(setup.atEnd().stream().map(r -> r.name() + " " + r.partitionsOwned())
                            .collect(java.util.stream.Collectors.joining(", ")))
                    .append(". Sagas each replica began (JIT warm-up included): ")
                    .append(setup.atEnd().stream().map(r -> r.name() + " " + r.sagasStarted())
                            .collect(java.util.stream.Collectors.joining(", "))).append(".\n\n");
        }
    }

    /**
     * What the comparison shows, in words, from its figures: the max sustainable rates, and the orchestrators' CPU
     * and p99 at the highest rate every replica count sustained. Says first what a one-box run cannot show.
     */
    static String replicaFindings(Run run, List<Ladder> ladders) {
        int cores = run.machine().cores();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "On this %d-core machine every process "
                + "(the broker and the participants, every orchestrator replica, the load generator) shares the same %d "
                + "cores, so a second replica cannot add CPU: this comparison does not show scaling out, only what "
                + "running several replicas costs (the consumer group, every replica reading the whole order topic, "
                + "orders taken by one replica and driven by another, one more JVM), that is, whether coordination "
                + "costs throughput.", cores, cores));
        if (ladders.size() < 2) {
            return text.toString();
        }
        Ladder first = ladders.get(0);
        Ladder last = ladders.get(ladders.size() - 1);
        String a = replicasLabel(first.replicaSetup().replicas());
        String b = replicasLabel(last.replicaSetup().replicas());
        text.append(" Max sustainable rate: ").append(ladders.stream()
                .map(l -> replicasLabel(l.replicaSetup().replicas()) + " " + describeMax(l))
                .collect(java.util.stream.Collectors.joining(", "))).append(". ");
        Integer maxA = first.maxSustainable();
        Integer maxB = last.maxSustainable();
        if (maxA == null || maxB == null) {
            text.append(String.format(Locale.ROOT, "No comparison of the max sustainable rate: a ladder had no "
                    + "step within the %.0f ms p99 SLO.", run.settings().sloMillis()));
        } else if (maxA.equals(maxB)) {
            text.append(String.format(Locale.ROOT, "The same with %s as with %s, within the ladder's resolution.",
                    b, a));
        } else if (maxB > maxA) {
            text.append(String.format(Locale.ROOT, "Higher with %s than with %s, though there is no CPU to add: "
                    + "one replica was held back by something inside its JVM, not by the cores.", b, a));
        } else {
            text.append(String.format(Locale.ROOT, "Lower with %s than with %s.", b, a));
        }
        // throughput alone, whatever the latency: what coordination would cost first if it cost anything
        text.append(" Highest rate kept up with (backlog not growing, no errors, whatever the latency): ")
                .append(ladders.stream().map(l -> replicasLabel(l.replicaSetup().replicas()) + " "
                        + describeKeptUp(l)).collect(java.util.stream.Collectors.joining(", "))).append('.');
        Integer keptA = maxKeptUp(first.steps());
        Integer keptB = maxKeptUp(last.steps());
        if (keptA != null && keptB != null) {
            if (keptB >= keptA) {
                text.append(String.format(Locale.ROOT, " By that measure, going from %s to %s loses no throughput, "
                        + "within the ladder's resolution%s.", a, b, keptB.equals(topRate(last))
                        ? " (the limit of " + b + " was not reached)" : ""));
            } else if (keptB.equals(topRate(last))) {
                text.append(String.format(Locale.ROOT, " The ladder of %s stopped at %d sagas/s on its latency (p99 "
                        + "over 1 s) before reaching its throughput limit: no comparison of throughput.", b, keptB));
            } else {
                text.append(String.format(Locale.ROOT, " By that measure %s keep up with less than %s: here, "
                        + "coordination costs throughput.", b, a));
            }
        }
        // the highest rate every replica count sustained: the cost of a saga there
        Integer common = highestRateOfAll(ladders, first, StepResult::sustainable);
        if (common != null) {
            int rate = common;
            StepResult ra = stepAt(first, rate);
            StepResult rb = stepAt(last, rate);
            text.append(String.format(Locale.ROOT, " At %d sagas/s, the highest rate both sustained, the orchestrators "
                            + "used %.2f cores (%.1f ms of CPU per saga) with %s and %.2f (%.1f ms) with %s; p50 %.1f vs "
                            + "%.1f ms, p99 %.1f vs %.1f ms.", rate,
                    ra.cpu().cores(ReplicaCluster.ORCHESTRATOR), cpuMillisPerSaga(ra), a,
                    rb.cpu().cores(ReplicaCluster.ORCHESTRATOR), cpuMillisPerSaga(rb), b, ra.p50Ms(), rb.p50Ms(),
                    ra.p99Ms(), rb.p99Ms()));
        }
        // and the highest rate every count kept up with, when it is higher: the cost of a saga under load
        Integer keptEverywhere = highestRateOfAll(ladders, first, s -> !s.backlogGrew() && s.errorCount() == 0);
        if (keptEverywhere != null && (common == null || keptEverywhere > common)) {
            int rate = keptEverywhere;
            StepResult ra = stepAt(first, rate);
            StepResult rb = stepAt(last, rate);
            text.append(String.format(Locale.ROOT, " At %d sagas/s, the highest rate both kept up with, %.2f cores "
                            + "(%.1f ms per saga) with %s and %.2f (%.1f ms) with %s, the machine %.0f%% and %.0f%% busy; "
                            + "p50 %.1f vs %.1f ms, p99 %.1f vs %.1f ms.", rate,
                    ra.cpu().cores(ReplicaCluster.ORCHESTRATOR), cpuMillisPerSaga(ra), a,
                    rb.cpu().cores(ReplicaCluster.ORCHESTRATOR), cpuMillisPerSaga(rb), b, ra.cpu().machinePercent(),
                    rb.cpu().machinePercent(), ra.p50Ms(), rb.p50Ms(), ra.p99Ms(), rb.p99Ms()));
        }
        return text.toString();
    }

    /** The highest rate of {@code first}'s ladder at which every ladder has a step that {@code passes}; null if none. */
    private static Integer highestRateOfAll(List<Ladder> ladders, Ladder first, Predicate<StepResult> passes) {
        Integer highest = null;
        for (StepResult step : first.steps()) {
            int rate = step.offeredPerSecond();
            boolean everywhere = ladders.stream().allMatch(l -> l.steps().stream()
                    .anyMatch(s -> s.offeredPerSecond() == rate && passes.test(s)));
            if (everywhere && (highest == null || rate > highest)) {
                highest = rate;
            }
        }
        return highest;
    }

    private static StepResult stepAt(Ladder ladder, int rate) {
        return ladder.steps().stream().filter(s -> s.offeredPerSecond() == rate).findFirst().orElseThrow();
    }

    private static String describeKeptUp(Ladder ladder) {
        Integer max = maxKeptUp(ladder.steps());
        if (max == null) {
            return "none of the rates tried";
        }
        return (max.equals(topRate(ladder)) ? "≥ " : "") + max + " sagas/s";
    }

    private static Integer topRate(Ladder ladder) {
        return ladder.steps().stream().map(StepResult::offeredPerSecond).max(Integer::compare).orElse(null);
    }

    private static String replicasLabel(int replicas) {
        return replicas + (replicas == 1 ? " replica" : " replicas");
    }

    /**
     * The machine's CPU over the window (/proc/stat, in cores) minus that of the benchmark's processes: other
     * processes, the kernel's own threads, and steal time. Much above zero, the figures are not only ours.
     */
    static double restOfMachine(StepResult r, int cores) {
        double ours = r.cpu().jvmCores() + (r.cpu().processes() == null ? 0
                : r.cpu().processes().stream().mapToDouble(CpuMeter.ProcessCpu::cores).sum());
        return r.cpu().machinePercent() / 100 * cores - ours;
    }

    /** The orchestrators' CPU per completed saga, in ms. */
    private static double cpuMillisPerSaga(StepResult r) {
        double cores = r.cpu().cores(ReplicaCluster.ORCHESTRATOR);
        return r.completedPerSecond() > 0 ? 1000 * cores / r.completedPerSecond() : Double.NaN;
    }

    /** {@link #cpuMillisPerSaga}, or a dash when no saga completed in the window. */
    private static String cpuMillisPerSagaText(StepResult r) {
        double ms = cpuMillisPerSaga(r);
        return Double.isNaN(ms) ? "–" : String.format(Locale.ROOT, "%.1f", ms);
    }

    private static String errors(StepResult r) {
        return r.errorCount() == 0 ? "0" : r.errorCount() + " " + r.errors()
                + (r.unfinished() > 0 ? " unfinished " + r.unfinished() : "");
    }

    private static String verdict(StepResult r) {
        return r.sustainable() ? "sustainable" : r.backlogGrew() ? "backlog grows" : r.errorCount() > 0 ? "errors"
                : "p99 over SLO";
    }

    private static StepResult heaviestSustainable(Ladder ladder) {
        StepResult best = null;
        for (StepResult step : ladder.steps()) {
            if (step.sustainable() && (best == null || step.offeredPerSecond() > best.offeredPerSecond())) {
                best = step;
            }
        }
        return best != null ? best : ladder.steps().isEmpty() ? null : ladder.steps().get(0);
    }

    // ---- SVG ---------------------------------------------------------------------------------------------------

    private record Series(String label, String color, String dash, ToDoubleFunction<StepResult> value) {
    }

    /** One line of a panel: a percentile of one target's ladder. */
    private record Line(String label, String color, String dash, List<StepResult> steps,
                        ToDoubleFunction<StepResult> value) {
    }

    private static final List<Series> SERIES = List.of(
            new Series("p50", "#1f77b4", "", StepResult::p50Ms),
            new Series("p90", "#2ca02c", "", StepResult::p90Ms),
            new Series("p99", "#ff7f0e", "", StepResult::p99Ms),
            new Series("p99.9", "#d62728", "", StepResult::p999Ms),
            new Series("max", "#7f7f7f", "4 3", StepResult::maxMs));

    private static final List<String> TARGET_COLORS = List.of("#9467bd", "#17becf", "#8c564b", "#e377c2");

    private static final int PANEL_WIDTH = 380;
    private static final int PANEL_HEIGHT = 300;
    private static final int LEFT = 60;
    private static final int TOP = 70;
    private static final int GAP = 50;

    static String svg(Run run) {
        List<Ladder> ladders = run.ladders().stream().filter(l -> !l.steps().isEmpty()).toList();
        boolean comparison = ladders.size() > 1;
        int panels = Math.max(1, ladders.size() + (comparison ? 1 : 0));
        int width = Math.max(900, LEFT + panels * (PANEL_WIDTH + GAP));
        int height = TOP + PANEL_HEIGHT + 90;
        double slo = run.settings().sloMillis();
        double minRate = Double.MAX_VALUE;
        double maxRate = 1;
        double minMs = slo;
        double maxMs = slo * 10;
        for (Ladder ladder : ladders) {
            for (StepResult step : ladder.steps()) {
                minRate = Math.min(minRate, step.offeredPerSecond());
                maxRate = Math.max(maxRate, step.offeredPerSecond());
                for (Series series : SERIES) {
                    double v = series.value().applyAsDouble(step);
                    if (v > 0) {
                        minMs = Math.min(minMs, v);
                        maxMs = Math.max(maxMs, v);
                    }
                }
            }
        }
        if (minRate == Double.MAX_VALUE) {
            minRate = 1;
        }
        double xLo = Math.pow(10, Math.floor(Math.log10(minRate)));
        double xHi = Math.pow(10, Math.ceil(Math.log10(Math.max(maxRate, xLo * 10))));
        double yLo = Math.pow(10, Math.floor(Math.log10(minMs)));
        double yHi = Math.pow(10, Math.ceil(Math.log10(maxMs)));

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">"
                + "Saga latency (from scheduled start) against offered rate, %s run</text>%n", LEFT,
                esc(run.settings().mode())));
        int lx = LEFT;
        for (Series series : SERIES) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"40\" x2=\"%d\" y2=\"40\" stroke=\"%s\" "
                    + "stroke-width=\"2\" stroke-dasharray=\"%s\"/><text x=\"%d\" y=\"44\">%s</text>%n",
                    lx, lx + 20, series.color(), series.dash(), lx + 24, series.label()));
            lx += 70;
        }
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"40\" r=\"3.5\" fill=\"#444\"/><text x=\"%d\" "
                + "y=\"44\">sustainable</text><circle cx=\"%d\" cy=\"40\" r=\"3.5\" fill=\"white\" stroke=\"#444\"/>"
                + "<text x=\"%d\" y=\"44\">not sustainable</text>%n", lx + 5, lx + 12, lx + 90, lx + 97));

        Axis[] axes = null;
        for (int i = 0; i < ladders.size(); i++) {
            Ladder ladder = ladders.get(i);
            List<Line> lines = new ArrayList<>();
            for (Series series : SERIES) {
                lines.add(new Line(series.label(), series.color(), series.dash(), ladder.steps(), series.value()));
            }
            axes = panel(svg, LEFT + i * (PANEL_WIDTH + GAP), ladder.target(), lines, xLo, xHi, yLo, yHi, slo);
            if (ladder.maxSustainable() != null) {
                double x = axes[0].at(ladder.maxSustainable());
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\" "
                        + "stroke-dasharray=\"2 3\"/><text x=\"%.1f\" y=\"%d\" fill=\"#333\">max sustainable %s%d/s</text>%n",
                        x, TOP, x, TOP + PANEL_HEIGHT, x + 3, TOP + 12, ladder.maxIsTopOfLadder() ? "≥ " : "",
                        ladder.maxSustainable()));
            }
        }
        if (comparison) {
            List<Line> lines = new ArrayList<>();
            for (int i = 0; i < ladders.size(); i++) {
                lines.add(new Line(ladders.get(i).target(), TARGET_COLORS.get(i % TARGET_COLORS.size()), "",
                        ladders.get(i).steps(), StepResult::p99Ms));
            }
            int x0 = LEFT + ladders.size() * (PANEL_WIDTH + GAP);
            panel(svg, x0, "p99, side by side", lines, xLo, xHi, yLo, yHi, slo);
            for (int i = 0; i < lines.size(); i++) {
                svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                        + "stroke-width=\"2\"/><text x=\"%d\" y=\"%d\">%s</text>%n", x0 + 8, TOP + 14 + 14 * i, x0 + 26,
                        TOP + 14 + 14 * i, lines.get(i).color(), x0 + 30, TOP + 18 + 14 * i, esc(lines.get(i).label())));
            }
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" "
                + "text-anchor=\"middle\">latency (log)</text>%n", TOP + PANEL_HEIGHT / 2, TOP + PANEL_HEIGHT / 2));
        Machine m = run.machine();
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">%s</text>%n", LEFT, height - 30,
                esc(String.format(Locale.ROOT, "%d cores %s, %s, %s; load average at start %.2f; %s; commit %s",
                        m.cores(), m.cpuModel(), m.os(), m.jvm(), m.loadAverageAtStart(), run.startedAt(), m.commit()))));
        String summary = run.summary();
        int cut = Math.max(120, width / 6);
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\">%s</text>%n", LEFT, height - 14,
                esc(summary.length() > cut ? summary.substring(0, cut - 1) + "…" : summary)));
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Draws one panel (grid, axes, SLO line, the lines with their points); returns its x and y axes. */
    private static Axis[] panel(StringBuilder svg, int x0, String title, List<Line> lines, double xLo, double xHi,
                                double yLo, double yHi, double slo) {
        int y0 = TOP;
        Axis xAxis = new Axis(xLo, xHi, x0, x0 + PANEL_WIDTH);
        Axis yAxis = new Axis(yLo, yHi, y0 + PANEL_HEIGHT, y0);
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
                x0, y0 - 8, esc(title)));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#999\"/>%n", x0, y0, PANEL_WIDTH, PANEL_HEIGHT));
        for (double decade = xLo; decade <= xHi * 1.0001; decade *= 10) {
            for (int k : new int[] {1, 2, 5}) {
                double v = decade * k;
                if (v < xLo * 0.999 || v > xHi * 1.001) {
                    continue;
                }
                double x = xAxis.at(v);
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
                        + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                        x, y0, x, y0 + PANEL_HEIGHT, x, y0 + PANEL_HEIGHT + 14, number(v)));
            }
        }
        for (double decade = yLo; decade <= yHi * 1.0001; decade *= 10) {
            double y = yAxis.at(decade);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    x0, y, x0 + PANEL_WIDTH, y, x0 - 4, y + 4, millis(decade)));
        }
        double sloY = yAxis.at(slo);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#c00\" "
                + "stroke-dasharray=\"6 4\"/><text x=\"%d\" y=\"%.1f\" fill=\"#c00\" text-anchor=\"end\">p99 SLO %s</text>%n",
                x0, sloY, x0 + PANEL_WIDTH, sloY, x0 + PANEL_WIDTH - 4, sloY - 4, millis(slo)));
        for (Line line : lines) {
            StringBuilder points = new StringBuilder();
            StringBuilder marks = new StringBuilder();
            for (StepResult step : line.steps()) {
                double v = line.value().applyAsDouble(step);
                if (v <= 0) {
                    continue;
                }
                double x = xAxis.at(step.offeredPerSecond());
                double y = yAxis.at(Math.max(yLo, Math.min(yHi, v)));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                marks.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\" "
                        + "stroke=\"%s\"><title>%s %s at %d/s: %.1f ms</title></circle>%n", x, y,
                        step.sustainable() ? line.color() : "white", line.color(), esc(step.target()), esc(line.label()),
                        step.offeredPerSecond(), v));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" "
                    + "stroke-dasharray=\"%s\" points=\"%s\"/>%n", line.color(), line.dash(), points.toString().trim()));
            svg.append(marks);
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">offered rate "
                + "(sagas/s, log)</text>%n", x0 + PANEL_WIDTH / 2, y0 + PANEL_HEIGHT + 30));
        return new Axis[] {xAxis, yAxis};
    }

    /** A logarithmic axis from value range [lo, hi] onto pixels [from, to]. */
    private record Axis(double lo, double hi, double from, double to) {
        double at(double value) {
            double f = (Math.log10(value) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
            return from + f * (to - from);
        }
    }

    private static String number(double v) {
        return v >= 1000 && v % 1000 == 0 ? (long) (v / 1000) + "k" : v == Math.rint(v) ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String millis(double ms) {
        if (ms >= 1000) {
            return number(ms / 1000) + " s";
        }
        return (ms >= 1 ? number(ms) : String.format(Locale.ROOT, "%s", ms)) + " ms";
    }

    private static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
