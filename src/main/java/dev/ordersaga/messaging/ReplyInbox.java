package dev.ordersaga.messaging;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;

import dev.ordersaga.json.Json;
import dev.ordersaga.trace.SpanAttributes;
import dev.ordersaga.trace.TraceContext;
import dev.ordersaga.trace.TraceMdc;

/**
 * Takes each record of the reply topic to the {@link ReplyCorrelator}. A record that is not a reply (bad JSON, no
 * correlation id) is counted and dropped: one bad record must never stop the replies of every other saga. Each reply
 * is a consumer span continuing the {@code traceparent} the participant put on it (its handling of the command), so
 * the way back is in the order's trace too.
 */
public final class ReplyInbox implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyInbox.class);

    private final ReplyCorrelator correlator;
    private final Tracer tracer;
    private final AtomicLong malformedReplies = new AtomicLong();

    public ReplyInbox(ReplyCorrelator correlator, Tracer tracer) {
        this.correlator = correlator;
        this.tracer = tracer;
    }

    @Override
    public void process(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        Reply reply;
        try {
            reply = body == null ? null : Json.read(body, Reply.class);
        } catch (RuntimeException e) {
            reply = null;
        }
        if (reply == null || reply.correlationId() == null || reply.outcome() == null) {
            malformedReplies.incrementAndGet();
            LOG.warn("Dropped a malformed reply: {}", ContractHeaders.text(body));
            return;
        }
        Span received = tracer.spanBuilder("process " + reply.commandType() + " reply")
                .setParent(TraceContext.extract(ContractHeaders.of(exchange.getMessage()))).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SpanAttributes.MESSAGING_SYSTEM, SpanAttributes.KAFKA)
                .setAttribute(SpanAttributes.MESSAGING_OPERATION, SpanAttributes.PROCESS)
                .setAttribute(SpanAttributes.MESSAGING_CONVERSATION_ID, reply.correlationId())
                .setAttribute(SpanAttributes.OUTCOME, reply.outcome().name())
                .startSpan();
        try (TraceMdc ids = TraceMdc.of(received)) {
            correlator.deliver(reply);
        } finally {
            received.end();
        }
    }

    public long malformedReplies() {
        return malformedReplies.get();
    }
}
