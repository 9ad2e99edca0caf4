package dev.ordersaga.bench;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * An open-loop load at a constant arrival rate. Saga {@code i} of a step is scheduled at {@code t0 + i/rate},
 * whatever happened to the sagas before it: the driver never waits for an answer. Each saga's latency is taken from
 * its scheduled time, not from when the driver got round to sending it, so that a stall of the system under test
 * (or of the driver) shows up in full in the percentiles instead of being hidden by the requests it held back
 * (coordinated omission). Latencies go to HdrHistogram, in microseconds.
 */
final class OpenLoop {

    private static final long MAX_TRACKABLE_MICROS = TimeUnit.HOURS.toMicros(1);

    /** One saga in flight. */
    private static final class Pending {
        final long scheduledNanos;
        final long sentNanos;
        final boolean measured;
        /** the saga has ended (once, whatever the target says) */
        final AtomicBoolean ended = new AtomicBoolean();
        /** its latency has been recorded: at its end, or as a lower bound when the drain gave up on it */
        final AtomicBoolean recorded = new AtomicBoolean();

        Pending(long scheduledNanos, long sentNanos, boolean measured) {
            this.scheduledNanos = scheduledNanos;
            this.sentNanos = sentNanos;
            this.measured = measured;
        }
    }

    private final double sloMillis;
    /** Processes of the system under test, other than this JVM, whose CPU each step measures too. */
    private final java.util.List<CpuMeter.Watched> watched;
    /** What a saga costs in this JVM, counted over each window; null when the system runs in other processes. */
    private final Accounting accounting;
    /** Sagas started and not ended yet, across steps: what the system under test still works on. */
    private final AtomicLong inFlight = new AtomicLong();

    /** @param accounting counts each window's per-saga costs in this JVM (null: not counted) */
    OpenLoop(double sloMillis, Accounting accounting) {
        this(sloMillis, java.util.List.of(), accounting);
    }

    /**
     * @param watched processes of the system under test whose CPU each step's window measures, beside this JVM's
     * @param accounting counts each window's per-saga costs in this JVM (null: not counted)
     */
    OpenLoop(double sloMillis, java.util.List<CpuMeter.Watched> watched, Accounting accounting) {
        this.sloMillis = sloMillis;
        this.watched = java.util.List.copyOf(watched);
        this.accounting = accounting;
    }

    long inFlight() {
        return inFlight.get();
    }

    /** Waits up to {@code seconds} for every saga started to end; true if none is left. */
    boolean awaitQuiet(double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return inFlight.get() == 0;
    }

    /**
     * Runs one step: {@code warmupSeconds} at {@code rate}, then {@code measureSeconds} more at the same rate (one
     * continuous schedule), then waits up to {@code drainSeconds} for the sagas of the measured window to end.
     */
    StepResult run(SagaTarget target, int rate, double warmupSeconds, double measureSeconds, double drainSeconds) {
        return run(target, rate, warmupSeconds, measureSeconds, drainSeconds, null);
    }

    /** The same, with a JFR profile of the measured window written to {@code profileFile} when it is not null. */
    StepResult run(SagaTarget target, int rate, double warmupSeconds, double measureSeconds, double drainSeconds,
                   java.nio.file.Path profileFile) {
        Histogram latency = new ConcurrentHistogram(MAX_TRACKABLE_MICROS, 3);
        Histogram service = new ConcurrentHistogram(MAX_TRACKABLE_MICROS, 3);
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        LongAdder ok = new LongAdder();
        LongAdder completedInWindow = new LongAdder();
        Map<Long, Pending> measuredPending = new ConcurrentHashMap<>();

        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long windowStart = t0 + (long) (warmupSeconds * 1e9);
        long windowEnd = windowStart + (long) (measureSeconds * 1e9);
        double periodNanos = 1e9 / rate;

        CpuMeter.Snapshot cpuStart = null;
        Accounting.Snapshot countsStart = null;
        JfrProfile profile = null;
        long inFlightAtStart = 0;
        long sentInWindow = 0;
        long maxLagNanos = 0;
        for (long i = 0; ; i++) {
            long scheduled = t0 + (long) (i * periodNanos);
            if (scheduled >= windowEnd) {
                break;
            }
            long now = System.nanoTime();
            while (now < scheduled) {
                LockSupport.parkNanos(scheduled - now);
                now = System.nanoTime();
            }
            boolean measured = scheduled >= windowStart;
            if (measured && cpuStart == null) {
                if (profileFile != null) {
                    profile = JfrProfile.start(profileFile);
                }
                // the counts first, the CPU after them: the snapshot's own work is then not in the window's CPU
                countsStart = accounting == null ? null : accounting.snapshot();
                cpuStart = CpuMeter.snapshot(watched);
                inFlightAtStart = inFlight.get();
            }
            if (measured) {
                sentInWindow++;
                maxLagNanos = Math.max(maxLagNanos, now - scheduled);
            }
            Pending pending = new Pending(scheduled, now, measured);
            long id = i;
            if (measured) {
                measuredPending.put(id, pending);
            }
            inFlight.incrementAndGet();
            SagaTarget.Outcome outcome = new SagaTarget.Outcome() {
                @Override
                public void ok() {
                    end(null);
                }

                @Override
                public void failed(String kind) {
                    end(kind == null ? "failed" : kind);
                }

                private void end(String error) {
                    if (!pending.ended.compareAndSet(false, true)) {
                        return;
                    }
                    long ended = System.nanoTime();
                    inFlight.decrementAndGet();
                    if (ended >= windowStart && ended < windowEnd && error == null) {
                        completedInWindow.increment();
                    }
                    if (pending.measured && pending.recorded.compareAndSet(false, true)) {
                        measuredPending.remove(id);
                        latency.recordValue(micros(ended - pending.scheduledNanos));
                        service.recordValue(micros(ended - pending.sentNanos));
                        if (error == null) {
                            ok.increment();
                        } else {
                            errors.computeIfAbsent(error, k -> new LongAdder()).increment();
                        }
                    }
                }
            };
            try {
                target.start(outcome);
            } catch (RuntimeException e) {
                outcome.failed("start: " + e.getClass().getSimpleName());
            }
        }
        long now = System.nanoTime();
        while (now < windowEnd) {
            LockSupport.parkNanos(windowEnd - now);
            now = System.nanoTime();
        }
        CpuMeter.Snapshot cpuEnd = CpuMeter.snapshot(watched);
        Accounting.Snapshot countsEnd = accounting == null ? null : accounting.snapshot();
        long inFlightAtEnd = inFlight.get();
        JfrProfile.Summary profileSummary = profile == null ? null : profile.stop();
        if (cpuStart == null) {
            cpuStart = cpuEnd;
            countsStart = countsEnd;
        }

        // the sagas of the measured window that are still running: wait for them, then count the rest as unfinished,
        // recorded at the time we gave up (a lower bound of their latency, so they still weigh on the percentiles)
        long drainDeadline = System.nanoTime() + (long) (drainSeconds * 1e9);
        while (!measuredPending.isEmpty() && System.nanoTime() < drainDeadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        long unfinished = 0;
        long gaveUp = System.nanoTime();
        for (Pending pending : measuredPending.values()) {
            if (pending.recorded.compareAndSet(false, true)) {
                unfinished++;
                latency.recordValue(micros(gaveUp - pending.scheduledNanos));
            }
        }
        // and let the warm-up's stragglers end too, so that the next step starts from a quiet system
        while (inFlight.get() > 0 && System.nanoTime() < drainDeadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }

        double windowSeconds = (windowEnd - windowStart) / 1e9;
        double completedPerSecond = completedInWindow.sum() / windowSeconds;
        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((kind, count) -> errorCounts.put(kind, count.sum()));
        // the backlog grew if fewer sagas ended than were offered, or more were in flight at the end of the window
        // than at its start by more than a tenth of a second's worth of arrivals
        boolean backlogGrew = completedPerSecond < 0.95 * rate
                || inFlightAtEnd - inFlightAtStart > Math.max(10, rate / 10);
        double p99 = ms(latency.getValueAtPercentile(99));
        boolean sustainable = !backlogGrew && p99 < sloMillis && errorCounts.isEmpty() && unfinished == 0
                && ok.sum() > 0;
        double heapUsedMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
        // per saga completed in the window, as completed/s counts them
        Accounting.PerSaga perSaga = accounting == null ? null
                : accounting.perSaga(countsStart, countsEnd, completedInWindow.sum());
        return new StepResult(target.name(), rate, CpuMeter.round(sentInWindow / windowSeconds, 1),
                CpuMeter.round(completedPerSecond, 1), sentInWindow, ok.sum(), errorCounts, unfinished,
                ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(90)), p99,
                ms(latency.getValueAtPercentile(99.9)), ms(latency.getMaxValue()), CpuMeter.round(latency.getMean() / 1000, 2),
                ms(service.getValueAtPercentile(50)), ms(service.getValueAtPercentile(99)),
                CpuMeter.round(maxLagNanos / 1e6, 2), inFlightAtStart, inFlightAtEnd, backlogGrew, sustainable,
                CpuMeter.round(heapUsedMb, 0), CpuMeter.between(cpuStart, cpuEnd), profileSummary, perSaga);
    }

    private static long micros(long nanos) {
        return Math.min(MAX_TRACKABLE_MICROS, Math.max(1, nanos / 1000));
    }

    private static double ms(long micros) {
        return CpuMeter.round(micros / 1000.0, 2);
    }
}
