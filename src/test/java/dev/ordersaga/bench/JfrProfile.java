package dev.ordersaga.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Java Flight Recorder profile of one measured window ({@code --profile}): the recording is kept in
 * target/bench/jfr/, and its CPU samples are summed up by component (the broker by its threads, everything else by
 * the innermost frame that is not the JDK's), by thread, and by method.
 */
final class JfrProfile {

    record Share(String name, double percent) {
    }

    record Summary(String file, long samples, List<Share> byComponent, List<Share> byThread, List<Share> topMethods) {
    }

    private static final String[][] COMPONENTS = {
        {"dev/ordersaga/bench/", "load generator"},
        {"dev/ordersaga/", "application code"},
        {"org/apache/kafka/", "kafka clients"},
        {"org/apache/camel/", "camel"},
        {"com/fasterxml/jackson/", "jackson"},
        {"org/apache/logging/", "logging"},
        {"org/slf4j/", "logging"},
        {"io/undertow/", "undertow"},
        {"org/xnio/", "undertow"},
        {"io/micrometer/", "micrometer"},
        {"io/vertx/", "vert.x (management port)"},
        {"io/netty/", "vert.x (management port)"},
    };

    private final Recording recording;
    private final Path file;

    private JfrProfile(Path file) {
        this.file = file;
        this.recording = samplingRecording();
    }

    /**
     * What the summary counts (CPU samples) and what a look at the allocation needs; none of the JDK's instrumented
     * events (socket and file I/O, errors thrown), whose first recording retransforms the JDK's I/O classes.
     */
    private static Recording samplingRecording() {
        Recording recording = new Recording();
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(20));
        recording.enable("jdk.ObjectAllocationSample").with("throttle", "150/s").withStackTrace();
        recording.enable("jdk.GarbageCollection");
        recording.setToDisk(true);
        return recording;
    }

    /**
     * Starts and stops a recording of the same events before the system under test runs, so that JFR's own machinery
     * (its classes, threads and repository) is loaded and started while nothing is measured. Left to the first
     * measured window, it broke that window and the ones after it: at 500/s, which the same build sustains without
     * {@code --profile}, 0.9 sagas/s completed and the rest were refused (503); with this warm-up recording first, the
     * same run completed 500/s and 1,000/s (bench/README.md, 2026-12-07 evening).
     */
    static void prepare() {
        try (Recording warmUp = samplingRecording()) {
            warmUp.start();
            warmUp.stop();
        } catch (RuntimeException e) {
            System.err.println("No JFR profile: " + e);
        }
    }

    static JfrProfile start(Path file) {
        try {
            Files.createDirectories(file.getParent());
            JfrProfile profile = new JfrProfile(file);
            profile.recording.start();
            return profile;
        } catch (IOException | RuntimeException e) {
            System.err.println("No JFR profile: " + e);
            return null;
        }
    }

    Summary stop() {
        try {
            recording.stop();
            recording.dump(file);
            recording.close();
            return summarize(file);
        } catch (IOException | RuntimeException e) {
            System.err.println("JFR profile failed: " + e);
            return null;
        }
    }

    static Summary summarize(Path file) throws IOException {
        Map<String, Integer> components = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> methods = new HashMap<>();
        long samples = 0;
        try (RecordingFile recordingFile = new RecordingFile(file)) {
            while (recordingFile.hasMoreEvents()) {
                RecordedEvent event = recordingFile.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                samples++;
                RecordedThread thread = event.getThread("sampledThread");
                String threadName = thread == null || thread.getJavaName() == null ? "?"
                        : thread.getJavaName().replaceAll("\\d+", "#");
                threads.merge(threadName, 1, Integer::sum);
                RecordedStackTrace stack = event.getStackTrace();
                List<RecordedFrame> frames = stack == null ? List.of() : stack.getFrames();
                if (!frames.isEmpty()) {
                    RecordedFrame leaf = frames.get(0);
                    methods.merge(leaf.getMethod().getType().getName() + "." + leaf.getMethod().getName(), 1,
                            Integer::sum);
                }
                components.merge(component(threadName, frames), 1, Integer::sum);
            }
        }
        return new Summary(file.toString(), samples, top(components, samples, 12), top(threads, samples, 12),
                top(methods, samples, 15));
    }

    private static String component(String thread, List<RecordedFrame> frames) {
        if (isBrokerThread(thread)) {
            return "kafka broker";
        }
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName().replace('.', '/');
            if (type.startsWith("java/") || type.startsWith("jdk/") || type.startsWith("sun/")
                    || type.startsWith("com/sun/")) {
                continue;
            }
            for (String[] component : COMPONENTS) {
                if (type.startsWith(component[0])) {
                    return component[1];
                }
            }
            String[] parts = type.split("/");
            return parts.length > 2 ? parts[0] + "." + parts[1] + "." + parts[2] : type;
        }
        if (CpuMeter.isGenerator(thread)) {
            return "load generator";
        }
        return "JDK only (" + thread + ")";
    }

    /** The embedded broker's threads (its request handlers, network threads, log, raft, coordinators). */
    static boolean isBrokerThread(String thread) {
        return thread.startsWith("data-plane-kafka") || thread.startsWith("kafka-#-raft")
                || thread.startsWith("kafka-#-metadata") || thread.startsWith("kafka-scheduler")
                || thread.startsWith("kafka-log-cleaner") || thread.startsWith("quorum-controller")
                || thread.startsWith("group-coordinator") || thread.startsWith("share-coordinator")
                || thread.startsWith("ExpirationReaper") || thread.startsWith("log-closing")
                || thread.startsWith("transaction-log-manager") || thread.startsWith("raft-")
                || thread.startsWith("executor-") || thread.startsWith("LogDirFailureHandler")
                || thread.startsWith("kafka-#-snapshot") || thread.startsWith("controller-");
    }

    private static List<Share> top(Map<String, Integer> counts, long total, int limit) {
        List<Share> shares = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(e -> shares.add(new Share(e.getKey(), CpuMeter.round(100.0 * e.getValue() / Math.max(1, total), 1))));
        return shares;
    }
}
