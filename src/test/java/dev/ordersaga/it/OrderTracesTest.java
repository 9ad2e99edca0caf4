package dev.ordersaga.it;

import static dev.ordersaga.it.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;

import dev.ordersaga.saga.SagaTraces;
import dev.ordersaga.testsupport.InMemorySpans;
import dev.ordersaga.trace.SpanAttributes;

/**
 * One order, one trace, on the real broker: the POST's server span is the root (or continues the client's
 * {@code traceparent}); the saga's span is its child; each command is a step span of the saga with a producer span per
 * send, which the participant's consumer span continues from the record's {@code traceparent}, and the reply's
 * consumer span continues the participant's. A rejected order's compensations are in the same trace.
 */
@ExtendWith(RunningApplication.class)
class OrderTracesTest {

    private static final Duration EXPORTED = Duration.ofSeconds(10);
    private static final List<String> APPROVAL = List.of("CreateOrder", "ReserveInventory", "HoldPayment",
            "ApproveOrder", "SendOrderConfirmation");

    private final ApiClient api = RunningApplication.api();

    @Test
    void anApprovedOrderIsOneTraceFromTheRequestToItsLastReply() {
        String orderId = api.placeOrderAndWait(order("tok_visa", "TRACE-1:1:3.00")).body().get("orderId").asText();

        OrderTrace trace = awaitEnded(orderId, "COMPLETED");

        SpanData server = trace.server();
        assertThat(server.getParentSpanContext().isValid()).as("the request's span is the root").isFalse();
        assertThat(server.getAttributes().get(SpanAttributes.HTTP_STATUS)).isEqualTo(201L);
        assertThat(trace.saga().getParentSpanId()).isEqualTo(server.getSpanId());
        APPROVAL.forEach(command -> trace.assertCommandChain(command, role(command)));
        assertThat(trace.spans()).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(server.getTraceId()));
    }

    @Test
    void aRejectedOrdersCompensationsAreInTheSameTrace() {
        String orderId = api.placeOrderAndWait(order("tok_declined", "TRACE-1:1:3.00")).body().get("orderId")
                .asText();

        OrderTrace trace = awaitEnded(orderId, "COMPENSATED");

        assertThat(trace.saga().getEvents()).anySatisfy(event -> assertThat(event.getName())
                .isEqualTo("saga.compensating"));
        trace.assertCommandChain("ReleaseInventory", "compensation");
        trace.assertCommandChain("CancelOrder", "compensation");
        trace.assertCommandChain("SendOrderRejection", "finalize");
        assertThat(trace.spans()).allSatisfy(span -> assertThat(span.getTraceId())
                .isEqualTo(trace.server().getTraceId()));
    }

    @Test
    void aRequestsTraceparentIsContinued() {
        String clientTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String clientSpan = "00f067aa0ba902b7";
        String orderId = api.withHeader("traceparent", "00-" + clientTrace + "-" + clientSpan + "-01")
                .placeOrderAndWait(order("tok_visa", "TRACE-1:1:3.00")).body().get("orderId").asText();

        OrderTrace trace = awaitEnded(orderId, "COMPLETED");

        assertThat(trace.server().getTraceId()).isEqualTo(clientTrace);
        assertThat(trace.server().getParentSpanId()).isEqualTo(clientSpan);
        assertThat(trace.server().getParentSpanContext().isRemote()).isTrue();
        assertThat(trace.spans()).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(clientTrace));
        trace.assertCommandChain("CreateOrder", "step");
    }

    private static String role(String command) {
        return command.equals("SendOrderConfirmation") ? "finalize" : "step";
    }

    /** The spans of the order once its saga's span has ended with this outcome (and so has been exported). */
    private static OrderTrace awaitEnded(String orderId, String outcome) {
        OrderTrace[] found = new OrderTrace[1];
        await().atMost(EXPORTED).untilAsserted(() -> {
            OrderTrace trace = OrderTrace.of(orderId);
            assertThat(trace.sagaSpan()).as("the saga span of " + orderId).isPresent();
            assertThat(trace.saga().getAttributes().get(SpanAttributes.OUTCOME)).isEqualTo(outcome);
            // the last reply's span ends a moment after the saga's: wait for the whole chain of each command
            trace.commands().forEach(command -> trace.assertCommandChain(command, null));
            found[0] = trace;
        });
        return found[0];
    }

    /** What the exporter holds of one order: every span that names it, and the request span above its saga. */
    private record OrderTrace(String orderId, List<SpanData> spans) {

        static OrderTrace of(String orderId) {
            List<SpanData> all = InMemorySpans.exported();
            List<SpanData> ofOrder = all.stream().filter(span -> namesOrder(span, orderId)).toList();
            Optional<SpanData> saga = ofOrder.stream().filter(span -> span.getName().equals(SagaTraces.SAGA_SPAN))
                    .findFirst();
            List<SpanData> withServer = saga.flatMap(s -> all.stream()
                            .filter(span -> span.getSpanId().equals(s.getParentSpanId())).findFirst())
                    .map(server -> java.util.stream.Stream.concat(ofOrder.stream(), java.util.stream.Stream.of(server))
                            .toList())
                    .orElse(ofOrder);
            return new OrderTrace(orderId, withServer);
        }

        private static boolean namesOrder(SpanData span, String orderId) {
            String conversation = span.getAttributes().get(SpanAttributes.MESSAGING_CONVERSATION_ID);
            return orderId.equals(span.getAttributes().get(SpanAttributes.ORDER_ID))
                    || orderId.equals(span.getAttributes().get(SpanAttributes.MESSAGING_KAFKA_KEY))
                    || conversation != null && conversation.startsWith(orderId + ":");
        }

        Optional<SpanData> sagaSpan() {
            return spans.stream().filter(span -> span.getName().equals(SagaTraces.SAGA_SPAN)).findFirst();
        }

        SpanData saga() {
            return sagaSpan().orElseThrow();
        }

        SpanData server() {
            return spans.stream().filter(span -> span.getKind() == SpanKind.SERVER).findFirst().orElseThrow(
                    () -> new AssertionError("no server span above the saga of " + orderId));
        }

        /** The commands whose step spans have been exported. */
        List<String> commands() {
            return spans.stream().filter(span -> span.getParentSpanId().equals(saga().getSpanId()))
                    .filter(span -> span.getAttributes().get(SpanAttributes.COMMAND_TYPE) != null)
                    .map(SpanData::getName).toList();
        }

        /**
         * The command's step span is a child of the saga's, with the given role (any, when null); each of its sends
         * is a producer span under it; the participant's consumer span continues a send; the reply's consumer span
         * continues the participant's.
         */
        void assertCommandChain(String command, String role) {
            SpanData step = one(span -> span.getName().equals(command)
                    && span.getParentSpanId().equals(saga().getSpanId()), "step span " + command);
            if (role != null) {
                assertThat(step.getAttributes().get(SpanAttributes.STEP_ROLE)).as(command).isEqualTo(role);
            }
            SpanData send = one(span -> span.getKind() == SpanKind.PRODUCER
                    && span.getParentSpanId().equals(step.getSpanId()), "send of " + command);
            assertThat(send.getName()).isEqualTo("send " + command);
            SpanData handled = one(span -> span.getKind() == SpanKind.CONSUMER
                    && span.getParentSpanId().equals(send.getSpanId()), "participant's handling of " + command);
            assertThat(handled.getName()).isEqualTo("process " + command);
            assertThat(handled.getParentSpanContext().isRemote()).as("continued from the record's traceparent")
                    .isTrue();
            SpanData reply = one(span -> span.getKind() == SpanKind.CONSUMER
                    && span.getParentSpanId().equals(handled.getSpanId()), "reply to " + command);
            assertThat(reply.getName()).isEqualTo("process " + command + " reply");
        }

        private SpanData one(java.util.function.Predicate<SpanData> which, String what) {
            List<SpanData> matching = spans.stream().filter(which).toList();
            assertThat(matching).as(what + " of order " + orderId).hasSize(1);
            return matching.get(0);
        }
    }
}
