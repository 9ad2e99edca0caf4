package dev.ordersaga.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU over a time window: of this JVM (process CPU time), of the whole machine (/proc/stat, so that load from other
 * processes shows), and per thread, grouped by thread name with the digits taken out, to see where the time goes.
 * Also the garbage collector's count and time, and the CPU of other processes of the system under test when it runs
 * in processes of its own (utime + stime from /proc/&lt;pid&gt;/stat, through {@link ProcessHandle}).
 */
final class CpuMeter {

    /** CPU of one group of threads over the window, in cores (1.0 = one core busy for the whole window). */
    record ThreadGroupCpu(String threads, double cores) {
    }

    /** A process of the system under test to measure too; {@code role} groups processes in the report. */
    record Watched(String name, String role, ProcessHandle process) {
    }

    /**
     * CPU of one such process over the window, in cores; {@code jitCores}: of which its JIT compiler threads (C1, C2),
     * from /proc/&lt;pid&gt;/task/*&#47;stat (NaN off Linux).
     */
    record ProcessCpu(String name, String role, double cores, double jitCores) {
    }

    /**
     * What the window cost. {@code vmInternalCores}: the JVM's CPU not spent on Java threads (JIT compilers, GC
     * workers, VM threads), which thread CPU times do not show; {@code jvmJitCores}: of which its JIT compiler threads
     * (NaN off Linux).
     */
    record Usage(double jvmCores, double jvmPercentOfMachine, double machinePercent, double generatorCores,
                 double vmInternalCores, double jvmJitCores, double loadAverage, long gcCount, long gcMillis,
                 List<ThreadGroupCpu> topThreads, List<ProcessCpu> processes) {

        /** The watched processes of one role, summed, in cores; NaN when none was watched. */
        double cores(String role) {
            if (processes == null || processes.stream().noneMatch(p -> p.role().equals(role))) {
                return Double.NaN;
            }
            return round(processes.stream().filter(p -> p.role().equals(role)).mapToDouble(ProcessCpu::cores).sum(), 3);
        }

        /**
         * The JIT compiler threads of the system under test, in cores: of all the watched processes, or of this JVM
         * when none was watched (the system then runs in it).
         */
        double jitCores() {
            if (processes == null || processes.isEmpty()) {
                return jvmJitCores;
            }
            return round(processes.stream().mapToDouble(ProcessCpu::jitCores).sum(), 3);
        }
    }

    record Snapshot(long wallNanos, long processCpuNanos, long[] machineJiffies, Map<Long, long[]> threadCpu,
                    Map<Long, String> threadNames, long gcCount, long gcMillis, long jitNanos, List<Watched> watched,
                    Map<String, Long> watchedCpuNanos, Map<String, Long> watchedJitNanos) {
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private CpuMeter() {
    }

    static Snapshot snapshot() {
        return snapshot(List.of());
    }

    static Snapshot snapshot(List<Watched> watched) {
        Map<String, Long> watchedCpu = new HashMap<>();
        Map<String, Long> watchedJit = new HashMap<>();
        for (Watched w : watched) {
            w.process().info().totalCpuDuration().ifPresent(d -> watchedCpu.put(w.name(), d.toNanos()));
            long jit = compilerThreadsCpuNanos(w.process().pid());
            if (jit >= 0) {
                watchedJit.put(w.name(), jit);
            }
        }
        Map<Long, long[]> cpu = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        if (THREADS.isThreadCpuTimeSupported()) {
            long[] ids = THREADS.getAllThreadIds();
            ThreadInfo[] infos = THREADS.getThreadInfo(ids);
            for (int i = 0; i < ids.length; i++) {
                long time = THREADS.getThreadCpuTime(ids[i]);
                if (time >= 0 && infos[i] != null) {
                    cpu.put(ids[i], new long[] {time});
                    names.put(ids[i], infos[i].getThreadName());
                }
            }
        }
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        return new Snapshot(System.nanoTime(), OS.getProcessCpuTime(), machineJiffies(), cpu, names, gcCount, gcMillis,
                compilerThreadsCpuNanos(ProcessHandle.current().pid()), List.copyOf(watched), watchedCpu, watchedJit);
    }

    static Usage between(Snapshot start, Snapshot end) {
        double wall = Math.max(1, end.wallNanos() - start.wallNanos());
        double jvmCores = (end.processCpuNanos() - start.processCpuNanos()) / wall;
        double machinePercent = Double.NaN;
        if (start.machineJiffies() != null && end.machineJiffies() != null) {
            double total = end.machineJiffies()[0] - start.machineJiffies()[0];
            double idle = end.machineJiffies()[1] - start.machineJiffies()[1];
            if (total > 0) {
                machinePercent = 100.0 * (total - idle) / total;
            }
        }
        Map<String, Double> byGroup = new HashMap<>();
        end.threadCpu().forEach((id, time) -> {
            long[] before = start.threadCpu().get(id);
            long delta = time[0] - (before == null ? 0 : before[0]);
            if (delta > 0) {
                byGroup.merge(group(end.threadNames().get(id)), delta / wall, Double::sum);
            }
        });
        double javaThreads = byGroup.values().stream().mapToDouble(Double::doubleValue).sum();
        double generator = byGroup.entrySet().stream().filter(e -> isGenerator(e.getKey()))
                .mapToDouble(Map.Entry::getValue).sum();
        List<ThreadGroupCpu> top = new ArrayList<>();
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .limit(12).forEach(e -> top.add(new ThreadGroupCpu(e.getKey(), round(e.getValue(), 3))));
        List<ProcessCpu> processes = new ArrayList<>();
        for (Watched w : end.watched()) {
            Long before = start.watchedCpuNanos().get(w.name());
            Long after = end.watchedCpuNanos().get(w.name());
            Long jitBefore = start.watchedJitNanos().get(w.name());
            Long jitAfter = end.watchedJitNanos().get(w.name());
            processes.add(new ProcessCpu(w.name(), w.role(),
                    before == null || after == null ? Double.NaN : round((after - before) / wall, 3),
                    jitBefore == null || jitAfter == null ? Double.NaN
                            : round(Math.max(0, jitAfter - jitBefore) / wall, 3)));
        }
        double jvmJit = start.jitNanos() < 0 || end.jitNanos() < 0 ? Double.NaN
                : round(Math.max(0, end.jitNanos() - start.jitNanos()) / wall, 3);
        return new Usage(round(jvmCores, 3), round(100 * jvmCores / CORES, 1), round(machinePercent, 1),
                round(generator, 3), round(Math.max(0, jvmCores - javaThreads), 3), jvmJit,
                round(OS.getSystemLoadAverage(), 2), end.gcCount() - start.gcCount(),
                end.gcMillis() - start.gcMillis(), top, processes);
    }

    /**
     * The load generator's own threads (they run in the measured JVM too): the driver, the HTTP client's, and the
     * common ForkJoinPool's, where java.net.http completes its responses (the application does not use that pool).
     */
    static boolean isGenerator(String group) {
        return group.startsWith("bench-") || group.startsWith("HttpClient-")
                || group.startsWith("ForkJoinPool.commonPool-worker-");
    }

    private static String group(String name) {
        return name == null ? "?" : name.replaceAll("\\d+", "#");
    }

    /** Linux's USER_HZ: the unit of the times in /proc/&lt;pid&gt;/task/&lt;tid&gt;/stat (100 on every mainstream architecture). */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /**
     * CPU time so far of a process's JIT compiler threads (HotSpot names them "C1 CompilerThread#", "C2
     * CompilerThread#"; Linux shows the first 15 characters), summed over those alive now; -1 off Linux.
     */
    static long compilerThreadsCpuNanos(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        long ticks = 0;
        try (var threads = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) threads::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return ticks * NANOS_PER_TICK;
    }

    /** total and idle jiffies of all CPUs since boot, or null off Linux. */
    private static long[] machineJiffies() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = first.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total, idle};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static double round(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
