package dev.ordersaga.saga;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.saga.SagaListener.SagaOutcome;
import dev.ordersaga.trace.SpanAttributes;
import dev.ordersaga.trace.TraceContext;
import dev.ordersaga.trace.TraceMdc;

/**
 * One trace per order: the span of each saga this replica drives, a child of the context kept with the saga's order
 * (the {@code POST /api/orders} span, or the client's own trace that request continued), and the spans of its steps,
 * children of it. Because the parent is read from the order's record, a replica that takes a saga over (after a
 * crash, a restart or a hand-over) continues the same trace: its saga span is one more child of the same request,
 * marked {@code order_saga.recovered}. The saga's decisions (compensate, complete) and its outcome are events and
 * attributes of its span, which ends with the saga (or when the saga is handed over). Only sagas in flight are held.
 */
public final class SagaTraces {

    public static final String SAGA_SPAN = "order-saga";

    private final Tracer tracer;
    private final Function<String, Optional<String>> traceparentOfOrder;
    private final Map<String, Span> sagas = new ConcurrentHashMap<>();
    /** Sagas taken over from the journal whose span has not begun yet, with the state they were found in. */
    private final Map<String, SagaRecord.SagaState> recovering = new ConcurrentHashMap<>();

    /**
     * @param traceparentOfOrder the {@code traceparent} kept with an order (by its id, which is its saga's id), if
     *                           any
     */
    public SagaTraces(Tracer tracer, Function<String, Optional<String>> traceparentOfOrder) {
        this.tracer = tracer;
        this.traceparentOfOrder = traceparentOfOrder;
    }

    /** No spans at all: for a flow's tests. */
    public static SagaTraces disabled() {
        return new SagaTraces(OpenTelemetry.noop().getTracer(SAGA_SPAN), orderId -> Optional.empty());
    }

    /**
     * Begins the saga's span here, unless it has one already: a new saga, one run again after a crash, one whose
     * compensation or completion is resumed or retried.
     */
    public void begin(String sagaId) {
        sagas.computeIfAbsent(sagaId, this::start);
    }

    /** The context of the saga's span: the parent of its steps' spans (the order's own when it has none here). */
    public Context context(String sagaId) {
        Span span = sagas.get(sagaId);
        return span != null ? Context.root().with(span) : orderContext(sagaId);
    }

    /** The saga's trace id and span id in the logging MDC until closed; nothing for a saga not traced. */
    public TraceMdc mdc(String sagaId) {
        return TraceMdc.of(Span.fromContext(context(sagaId)));
    }

    /** Its trace id: the order's, the same on every replica; null when it is not traced. */
    public String traceId(String sagaId) {
        Span span = Span.fromContext(context(sagaId));
        return span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : null;
    }

    /**
     * This replica takes the saga over from the journal, where it stood in {@code state}: its span (begun when the
     * saga runs again, or now, when it goes on compensating or completing) says so.
     */
    public void recovered(String sagaId, SagaRecord.SagaState state) {
        recovering.put(sagaId, state);
    }

    /** The saga's outcome is decided: it compensates (why) or completes. */
    public void decided(String sagaId, SagaRecord.SagaState decision, String reason) {
        Span.fromContext(context(sagaId)).addEvent(decision == SagaRecord.SagaState.COMPENSATING ? "saga.compensating" : "saga.completing",
                reason == null ? Attributes.empty() : Attributes.of(SpanAttributes.REASON, reason));
    }

    public void ended(String sagaId, SagaOutcome outcome) {
        recovering.remove(sagaId);
        Span span = sagas.remove(sagaId);
        if (span == null) {
            return;
        }
        span.setAttribute(SpanAttributes.OUTCOME, outcome.name());
        span.addEvent("saga.ended", Attributes.of(SpanAttributes.OUTCOME, outcome.name()));
        if (outcome == SagaOutcome.COMPENSATION_FAILED || outcome == SagaOutcome.COMPLETION_FAILED) {
            span.setStatus(StatusCode.ERROR, outcome.name());
        }
        span.end();
    }

    /** These sagas went to another replica: their spans here end, the next owner begins its own. */
    public void handedOver(Predicate<String> sagaIds) {
        recovering.keySet().removeIf(sagaIds);
        sagas.entrySet().removeIf(saga -> {
            if (!sagaIds.test(saga.getKey())) {
                return false;
            }
            saga.getValue().addEvent("saga.handed-over");
            saga.getValue().end();
            return true;
        });
    }

    /** The span of one command of the saga, from its first attempt to its settlement: a child of the saga's span. */
    public Span step(String sagaId, CommandType type, String role) {
        return tracer.spanBuilder(type.wireName()).setParent(context(sagaId)).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(SpanAttributes.ORDER_ID, sagaId)
                .setAttribute(SpanAttributes.COMMAND_TYPE, type.wireName())
                .setAttribute(SpanAttributes.PARTICIPANT, type.participant().name())
                .setAttribute(SpanAttributes.STEP_ROLE, role)
                .startSpan();
    }

    private Span start(String sagaId) {
        Span span = tracer.spanBuilder(SAGA_SPAN).setParent(orderContext(sagaId)).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(SpanAttributes.ORDER_ID, sagaId)
                .startSpan();
        SagaRecord.SagaState recoveredFrom = recovering.remove(sagaId);
        if (recoveredFrom != null) {
            span.setAttribute(SpanAttributes.RECOVERED, true)
                    .addEvent("saga.recovered", Attributes.of(SpanAttributes.STATE, recoveredFrom.name()));
        }
        return span;
    }

    private Context orderContext(String sagaId) {
        return TraceContext.fromTraceparent(traceparentOfOrder.apply(sagaId).orElse(null));
    }
}
