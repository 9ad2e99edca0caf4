package dev.ordersaga.messaging;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.flow.Participant;
import dev.ordersaga.json.Json;
import dev.ordersaga.kafka.Sends;
import dev.ordersaga.trace.SpanAttributes;
import dev.ordersaga.trace.TraceContext;

/**
 * Puts commands on their participant's topic, per the messaging contract: key = order id, JSON body, headers saga id,
 * correlation id, command type and reply-to, and the W3C {@code traceparent} of the send's producer span (a child of
 * the caller's current span: the saga step's), which the participant continues. Sends are pipelined: nothing waits for
 * the broker's ack, which completes the returned stage from the producer's callback. The producer span lasts until
 * the broker has acknowledged the record (or refused it).
 */
public final class CommandPublisher implements CommandChannel {

    private final Producer<String, byte[]> producer;
    private final Map<Participant, String> commandTopics;
    private final String replyTopic;
    private final Tracer tracer;

    /** @param commandTopics the command topic of every participant of every flow this replica knows */
    public CommandPublisher(Producer<String, byte[]> producer, Map<Participant, String> commandTopics, String replyTopic,
                            Tracer tracer) {
        this.producer = producer;
        this.commandTopics = Map.copyOf(commandTopics);
        this.replyTopic = replyTopic;
        this.tracer = tracer;
    }

    @Override
    public CompletionStage<Void> publish(CommandType type, Command command) {
        String topic = commandTopics.get(type.participant());
        if (topic == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("No command topic for "
                    + type.participant()));
        }
        RecordHeaders headers = ContractHeaders.of(command.sagaId(), command.correlationId(), type.wireName());
        headers.add(MessageHeaders.REPLY_TO, ContractHeaders.utf8(replyTopic));
        Span send = tracer.spanBuilder("send " + type.wireName()).setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SpanAttributes.MESSAGING_SYSTEM, SpanAttributes.KAFKA)
                .setAttribute(SpanAttributes.MESSAGING_OPERATION, SpanAttributes.SEND)
                .setAttribute(SpanAttributes.MESSAGING_DESTINATION, topic)
                .setAttribute(SpanAttributes.MESSAGING_KAFKA_KEY, command.order().orderId())
                .setAttribute(SpanAttributes.MESSAGING_CONVERSATION_ID, command.correlationId())
                .setAttribute(SpanAttributes.COMMAND_TYPE, type.wireName())
                .startSpan();
        TraceContext.inject(Context.current().with(send), headers);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, command.order().orderId(),
                Json.write(command), headers);
        return Sends.acknowledged(producer, record).whenComplete((acknowledged, error) -> {
            if (error != null) {
                send.recordException(error);
                send.setStatus(StatusCode.ERROR, "not sent");
            }
            send.end();
        });
    }
}
