package dev.ordersaga.bench;

import java.util.Map;

/**
 * One step of a ladder: a constant offered rate, held for a warm-up and then a measured window. Latencies are from
 * each saga's scheduled start (coordinated omission corrected), in milliseconds; {@code serviceP50Ms}/{@code
 * serviceP99Ms} are from the moment the request actually went out, for comparison only. {@code accounting}: what a
 * saga completed in the window cost in exchanges, Kafka requests, JSON, log lines and allocation (null when the
 * system under test runs in other processes).
 */
record StepResult(
        String target,
        int offeredPerSecond,
        double sentPerSecond,
        double completedPerSecond,
        long measuredSagas,
        long completedOk,
        Map<String, Long> errors,
        long unfinished,
        double p50Ms,
        double p90Ms,
        double p99Ms,
        double p999Ms,
        double maxMs,
        double meanMs,
        double serviceP50Ms,
        double serviceP99Ms,
        double maxSendLagMs,
        long inFlightAtWindowStart,
        long inFlightAtWindowEnd,
        boolean backlogGrew,
        boolean sustainable,
        double heapUsedMb,
        CpuMeter.Usage cpu,
        JfrProfile.Summary profile,
        Accounting.PerSaga accounting) {

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum() + unfinished;
    }

    String line() {
        // the system under test in this JVM, or in processes of its own (replicas): then their CPU, by role
        String cpuText = cpu.processes() == null || cpu.processes().isEmpty()
                ? String.format(java.util.Locale.ROOT, "JVM %.2f cores (generator %.2f)", cpu.jvmCores(),
                        cpu.generatorCores())
                : String.format(java.util.Locale.ROOT, "orchestrators %.2f cores (%s)  %s %.2f  generator JVM %.2f"
                                + "  JIT %.2f",
                        cpu.cores(ReplicaCluster.ORCHESTRATOR), cpu.processes().stream()
                                .filter(p -> p.role().equals(ReplicaCluster.ORCHESTRATOR))
                                .map(p -> String.format(java.util.Locale.ROOT, "%.2f", p.cores()))
                                .collect(java.util.stream.Collectors.joining(" + ")),
                        ReplicaCluster.INFRA, cpu.cores(ReplicaCluster.INFRA), cpu.jvmCores(), cpu.jitCores());
        return String.format(java.util.Locale.ROOT,
                "%-19s %6d/s offered  %8.1f/s done  p50 %7.1f  p90 %7.1f  p99 %7.1f  p99.9 %7.1f  max %7.1f ms"
                        + "  errors %d%s  %s  machine %.0f%%  load %.1f  %s",
                target, offeredPerSecond, completedPerSecond, p50Ms, p90Ms, p99Ms, p999Ms, maxMs, errorCount(),
                errors.isEmpty() && unfinished == 0 ? "" : " " + errors + (unfinished > 0 ? " unfinished=" + unfinished : ""),
                cpuText, cpu.machinePercent(), cpu.loadAverage(),
                sustainable ? "ok" : backlogGrew ? "BACKLOG" : "over SLO");
    }

    /** The accounting's second line of the step, or null when there is none. */
    String accountingLine() {
        if (accounting == null) {
            return null;
        }
        Accounting.PerSaga a = accounting;
        StringBuilder sides = new StringBuilder();
        for (String side : Accounting.SIDES) {
            Accounting.KafkaCounts c = a.kafka().get(side);
            if (c != null && c.produceRequests() + c.fetchRequests() > 0) {
                sides.append(String.format(java.util.Locale.ROOT, " %s %.1f/%.1f/%.1f", side, c.produceRequests(),
                        c.recordsSent(), c.fetchRequests()));
            }
        }
        // the target's own clients: the idle application's fetches during a floor's window are not the floor's
        Accounting.KafkaCounts all = a.kafkaSum(Accounting.sidesOf(target));
        return String.format(java.util.Locale.ROOT,
                "%-19s per saga (%d): exchanges %.1f  produce req %.1f, records %.1f, fetch req %.1f (every"
                        + " client, produce/records/fetch:%s)%s  JSON enc %.1f dec %.1f  log %.1f lines %.0f B  alloc %s"
                        + " (generator %s)",
                "", a.sagas(), a.camelExchanges(), all.produceRequests(), all.recordsSent(), all.fetchRequests(),
                sides, a.kafkaClientsGone() > 0 ? " (" + a.kafkaClientsGone() + " clients gone)" : "",
                a.jsonEncodes(), a.jsonDecodes(), a.logLines(), a.logBytes(), bytes(a.allocatedBytes()),
                bytes(a.generatorAllocatedBytes()));
    }

    static String bytes(double bytes) {
        return Double.isNaN(bytes) ? "?" : bytes >= 1 << 20 ? String.format(java.util.Locale.ROOT, "%.2f MB", bytes / (1 << 20))
                : bytes >= 1 << 10 ? String.format(java.util.Locale.ROOT, "%.0f kB", bytes / 1024)
                : String.format(java.util.Locale.ROOT, "%.0f B", bytes);
    }
}
