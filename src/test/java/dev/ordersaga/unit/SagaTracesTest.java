package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.flow.Participant;
import dev.ordersaga.saga.SagaListener.SagaOutcome;
import dev.ordersaga.saga.SagaRecord.SagaState;
import dev.ordersaga.saga.SagaTraces;
import dev.ordersaga.trace.SpanAttributes;
import dev.ordersaga.trace.TraceContext;

/**
 * A saga's spans continue the trace kept with its order: on the replica that began it and on one that takes it over
 * (each with a tracer of its own, as two processes have), and a saga not traced makes no span that lasts.
 */
class SagaTracesTest {

    private static final CommandType CREATE_ORDER = new CommandType("CreateOrder", new Participant("order-service"),
            "create-order", CommandType.Phase.DO);

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    /** The order records every replica reads: order id to the traceparent of the request that placed it. */
    private final Map<String, String> orderTraces = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void aSagaTakenOverByAnotherReplicaContinuesTheTraceOfItsOrder() {
        Span request = tracer("api").spanBuilder("POST /api/orders").setSpanKind(SpanKind.SERVER).startSpan();
        orderTraces.put("o-1", TraceContext.traceparent(Context.root().with(request)).orElseThrow());
        request.end();
        SagaTraces first = replica("orchestrator-a");
        SagaTraces second = replica("orchestrator-b");

        first.begin("o-1");
        first.step("o-1", CREATE_ORDER, "step").end();
        first.handedOver(sagaId -> sagaId.equals("o-1"));
        second.recovered("o-1", SagaState.RUNNING);
        second.begin("o-1");
        second.step("o-1", CREATE_ORDER, "step").end();
        second.ended("o-1", SagaOutcome.COMPLETED);

        List<SpanData> sagas = named(SagaTraces.SAGA_SPAN);
        assertThat(sagas).hasSize(2).allSatisfy(saga -> {
            assertThat(saga.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
            assertThat(saga.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        });
        SpanData handedOver = sagas.get(0);
        SpanData recovered = sagas.get(1);
        assertThat(handedOver.getEvents()).extracting(e -> e.getName()).containsExactly("saga.handed-over");
        assertThat(recovered.getAttributes().get(SpanAttributes.RECOVERED)).isTrue();
        assertThat(recovered.getAttributes().get(SpanAttributes.OUTCOME)).isEqualTo("COMPLETED");
        assertThat(recovered.getEvents()).extracting(e -> e.getName()).containsExactly("saga.recovered", "saga.ended");
        assertThat(named("CreateOrder")).extracting(SpanData::getParentSpanId)
                .containsExactly(handedOver.getSpanId(), recovered.getSpanId());
        assertThat(first.traceId("o-1")).isEqualTo(second.traceId("o-1"))
                .isEqualTo(request.getSpanContext().getTraceId());
    }

    @Test
    void aSagaWhoseOrderWasNotTracedStartsATraceOfItsOwnAndHoldsNothingOnceEnded() {
        SagaTraces traces = replica("orchestrator-a");

        traces.begin("o-2");
        traces.decided("o-2", SagaState.COMPENSATING, "payment-declined");
        traces.ended("o-2", SagaOutcome.COMPENSATED);
        traces.ended("o-2", SagaOutcome.COMPENSATED);

        SpanData saga = named(SagaTraces.SAGA_SPAN).get(0);
        assertThat(named(SagaTraces.SAGA_SPAN)).hasSize(1);
        assertThat(saga.getParentSpanContext().isValid()).isFalse();
        assertThat(saga.getEvents()).extracting(e -> e.getName()).containsExactly("saga.compensating", "saga.ended");
        assertThat(traces.traceId("o-2")).as("no span left for an ended saga").isNull();
    }

    private SagaTraces replica(String name) {
        return new SagaTraces(tracer(name), orderId -> Optional.ofNullable(orderTraces.get(orderId)));
    }

    private Tracer tracer(String name) {
        return provider.get(name);
    }

    private List<SpanData> named(String name) {
        return exported.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).toList();
    }
}
