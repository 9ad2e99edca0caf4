package dev.ordersaga.observe;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.flow.FlowDeclaration;
import dev.ordersaga.messaging.ReplyCorrelator;
import dev.ordersaga.messaging.ReplyInbox;
import dev.ordersaga.messaging.Settlement;
import dev.ordersaga.orders.FlowVersionsInUse;
import dev.ordersaga.saga.OrderSagaService;
import dev.ordersaga.saga.SagaCommands.CommandObserver;
import dev.ordersaga.saga.SagaListener;
import dev.ordersaga.saga.SagaOwnership;
import dev.ordersaga.saga.UnknownFlowSagas;

/**
 * The orchestrator's own Prometheus metrics, beside Camel's route metrics on {@code /observe/metrics}:
 * <ul>
 * <li>{@code ordersaga_sagas_started_total}: sagas begun in this process (new orders, and sagas run again after a
 * restart);</li>
 * <li>{@code ordersaga_sagas_ended_total{outcome}}: {@code approved}, {@code rejected}, {@code compensation_failed},
 * {@code confirmation_failed} (approved, but its confirmation email failed every attempt);</li>
 * <li>{@code ordersaga_sagas_in_flight}: sagas begun and not ended;</li>
 * <li>{@code ordersaga_saga_duration_seconds{outcome}}: histogram, saga begin to end;</li>
 * <li>{@code ordersaga_step_reply_seconds{command,settlement}}: histogram, command sent to its reply
 * ({@code replied}), its timeout ({@code timed_out}), its failed send ({@code not_sent}), or the hand-over of its
 * saga to another replica ({@code handed_over});</li>
 * <li>{@code ordersaga_replies_dropped_total{reason}}: replies nobody awaited, {@code late}, {@code duplicate},
 * {@code unknown} or {@code malformed};</li>
 * <li>{@code ordersaga_replies_awaited}: commands waiting for their reply now;</li>
 * <li>{@code ordersaga_partitions_owned}: partitions whose sagas this replica drives (assigned to it by the
 * orchestrator's consumer group, and recovered);</li>
 * <li>{@code ordersaga_flow_unfinished_sagas{flow,version}}: sagas of each flow version this replica knows that have
 * not ended, counted from the orders every replica reads (the same on every replica): 0 means the version can go;</li>
 * <li>{@code ordersaga_sagas_unknown_flow}: sagas of this replica's partitions left alone because their flow version
 * is unknown here (GET /api/flows and the health check {@code flow-versions} say which).</li>
 * </ul>
 */
public final class SagaMetrics implements SagaListener, CommandObserver {

    private static final String PREFIX = "ordersaga.";

    private final MeterRegistry registry;
    private final Duration[] buckets;
    private final Counter started;
    private final Map<SagaOutcome, Counter> ended = new ConcurrentHashMap<>();
    private final Map<SagaOutcome, Timer> durations = new ConcurrentHashMap<>();
    // keyed by the command and how it settled, not by their names: the names are made (a regex) only for a new meter
    private final Map<StepReply, Timer> stepReplies = new ConcurrentHashMap<>();

    /** @param buckets the upper bounds of the latency histograms' buckets */
    public SagaMetrics(MeterRegistry registry, List<Duration> buckets) {
        this.registry = registry;
        this.buckets = buckets.toArray(Duration[]::new);
        this.started = Counter.builder(PREFIX + "sagas.started").description("Sagas begun in this process")
                .register(registry);
        for (SagaOutcome outcome : SagaOutcome.values()) {
            ended.put(outcome, Counter.builder(PREFIX + "sagas.ended").tag("outcome", outcomeName(outcome))
                    .description("Sagas ended, by outcome").register(registry));
            durations.put(outcome, histogram(PREFIX + "saga.duration", "Saga duration, begin to end")
                    .tag("outcome", outcomeName(outcome)).register(registry));
        }
    }

    /** Gauges and counters read from the parts that keep them. */
    public SagaMetrics observe(OrderSagaService sagas, ReplyCorrelator correlator, ReplyInbox inbox,
                               SagaOwnership ownership, List<FlowDeclaration> flows, FlowVersionsInUse inUse,
                               UnknownFlowSagas unknownFlows) {
        for (FlowDeclaration flow : flows) {
            Gauge.builder(PREFIX + "flow.unfinished.sagas", inUse, versions -> versions.unfinished(flow.version()))
                    .tag("flow", flow.version().name()).tag("version", Integer.toString(flow.version().version()))
                    .description("Sagas of the flow version that have not ended").register(registry);
        }
        Gauge.builder(PREFIX + "sagas.unknown.flow", unknownFlows, UnknownFlowSagas::count)
                .description("Sagas left alone here: their flow version is unknown to this replica").register(registry);
        Gauge.builder(PREFIX + "partitions.owned", ownership, SagaOwnership::ownedCount)
                .description("Partitions whose sagas this replica drives (assigned and recovered)").register(registry);
        Gauge.builder(PREFIX + "sagas.in.flight", sagas, OrderSagaService::runningCount)
                .description("Sagas begun and not ended").register(registry);
        Gauge.builder(PREFIX + "replies.awaited", correlator, ReplyCorrelator::waitingCount)
                .description("Commands waiting for their reply").register(registry);
        droppedReplies("late", correlator, c -> c.droppedReplies().late());
        droppedReplies("duplicate", correlator, c -> c.droppedReplies().duplicate());
        droppedReplies("unknown", correlator, c -> c.droppedReplies().unknown());
        droppedReplies("malformed", inbox, ReplyInbox::malformedReplies);
        return this;
    }

    @Override
    public void sagaBegun(String sagaId) {
        started.increment();
    }

    @Override
    public void sagaEnded(String sagaId, SagaOutcome outcome, Duration took) {
        ended.get(outcome).increment();
        durations.get(outcome).record(took);
    }

    @Override
    public void sent(String orderId, CommandType type, int attempt) {
        // counted when settled
    }

    @Override
    public void settled(String orderId, CommandType type, int attempt, Settlement settled, Duration waited) {
        stepReplies.computeIfAbsent(new StepReply(type, settled.kind()), key -> {
                    String settlement = key.settlement().name().toLowerCase(Locale.ROOT);
                    return histogram(PREFIX + "step.reply", "Command sent to its settlement, per command")
                            .tag("command", key.command().routeName()).tag("settlement", settlement)
                            .register(registry);
                })
                .record(waited);
    }

    private <T> void droppedReplies(String reason, T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder(PREFIX + "replies.dropped", source, count).tag("reason", reason)
                .description("Replies nobody awaited, dropped").register(registry);
    }

    private Timer.Builder histogram(String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(buckets)
                .minimumExpectedValue(buckets[0]).maximumExpectedValue(buckets[buckets.length - 1]);
    }

    private static String outcomeName(SagaOutcome outcome) {
        return switch (outcome) {
            case COMPLETED -> "approved";
            case COMPENSATED -> "rejected";
            case COMPENSATION_FAILED -> "compensation_failed";
            case COMPLETION_FAILED -> "confirmation_failed";
        };
    }

    private record StepReply(CommandType command, Settlement.Kind settlement) {
    }
}
