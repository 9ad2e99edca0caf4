package dev.ordersaga.bench;

import java.util.Map;

/**
 * One step of a ladder: a constant offered rate, held for a warm-up and then a measured window. Latencies are from
 * each saga's scheduled start (coordinated omission corrected), in milliseconds; {@code serviceP50Ms}/{@code
 * serviceP99Ms} are from the moment the request actually went out, for comparison only.
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
        JfrProfile.Summary profile) {

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
}
