package dev.ordersaga.participants;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

import dev.ordersaga.json.Json;
import dev.ordersaga.kafka.Sends;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.ContractHeaders;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.messaging.Reply;
import dev.ordersaga.messaging.SagaMdc;
import dev.ordersaga.trace.SpanAttributes;
import dev.ordersaga.trace.TraceContext;
import dev.ordersaga.trace.TraceMdc;

/**
 * Answers one command record of one participant: the reply goes to the topic the command's {@code reply-to} header
 * names, keyed by order id, with the contract's headers, once what it answers is durable in the participant's
 * ledger. The reply's ids and headers come from the command's body, which is authoritative ({@link CommandRecords}).
 * Nothing waits for the broker: the consumer goes on with the next command at once, and Kafka keeps the replies of
 * one order in order. A record that cannot be answered (not JSON, no correlation id, no {@code reply-to}) is logged
 * and skipped.
 * <p>
 * The handling is a consumer span continuing the command's {@code traceparent} (the orchestrator's send), from the
 * record read to the reply acknowledged, and the reply carries that span's {@code traceparent} back: what the
 * contract asks of every participant, so that an order is one trace end to end.
 */
public final class ParticipantCommandProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ParticipantCommandProcessor.class);

    private final IdempotentParticipant participant;
    private final Producer<String, byte[]> replies;
    private final Executor replySender;
    private final Duration replyDelay;
    private final Tracer tracer;

    /**
     * @param replySender sends the replies whose ledger record has been acknowledged; never the producer's own I/O
     *                    thread, which a send waiting for metadata would block
     * @param replyDelay  how long each reply is held back (zero: none), to play a slow participant in demos and
     *                    tests; nothing waits meanwhile
     */
    public ParticipantCommandProcessor(IdempotentParticipant participant, Producer<String, byte[]> replies,
                                       Executor replySender, Duration replyDelay, Tracer tracer) {
        this.participant = participant;
        this.replies = replies;
        this.replySender = replySender;
        this.replyDelay = replyDelay;
        this.tracer = tracer;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] body = message.getBody(byte[].class);
        Headers headers = ContractHeaders.of(message);
        String replyTo = ContractHeaders.text(headers, MessageHeaders.REPLY_TO);
        Optional<Command> read = CommandRecords.read(body);
        if (read.isEmpty() || replyTo == null) {
            LOG.warn("{} skipped a record that is not a command it can answer: {}", participant.serviceName(),
                    ContractHeaders.text(body));
            return;
        }
        Command command = read.get();
        Span handling = tracer.spanBuilder("process " + command.type()).setSpanKind(SpanKind.CONSUMER)
                .setParent(TraceContext.extract(headers))
                .setAttribute(SpanAttributes.MESSAGING_SYSTEM, SpanAttributes.KAFKA)
                .setAttribute(SpanAttributes.MESSAGING_OPERATION, SpanAttributes.PROCESS)
                .setAttribute(SpanAttributes.MESSAGING_DESTINATION, message.getHeader(KafkaConstants.TOPIC, String.class))
                // an invalid command may have no order: it is answered, keyed by its saga id (the contract)
                .setAttribute(SpanAttributes.MESSAGING_KAFKA_KEY,
                        command.order() == null ? command.sagaId() : command.order().orderId())
                .setAttribute(SpanAttributes.MESSAGING_CONVERSATION_ID, command.correlationId())
                .setAttribute(SpanAttributes.PARTICIPANT, participant.serviceName())
                .startSpan();
        IdempotentParticipant.Answer answer;
        try (SagaMdc saga = SagaMdc.forCommand(command.correlationId()); TraceMdc ids = TraceMdc.of(handling)) {
            answer = participant.handle(command);
        }
        Reply reply = answer.reply();
        handling.setAttribute(SpanAttributes.OUTCOME, reply.outcome().name());
        Consumer<Throwable> unsent = error -> {
            handling.recordException(error);
            handling.setStatus(StatusCode.ERROR, "not answered");
            handling.end();
            try (SagaMdc saga = SagaMdc.forCommand(reply.correlationId()); TraceMdc ids = TraceMdc.of(handling)) {
                LOG.warn("{} could not answer {}: {}", participant.serviceName(), reply.correlationId(),
                        error.getMessage());
            }
        };
        if (!replyDelay.isZero()) {
            answer.durable().whenCompleteAsync((recorded, notRecorded) -> {
                if (notRecorded != null) {
                    unsent.accept(notRecorded);
                } else {
                    send(reply, replyTo, handling, unsent);
                }
            }, CompletableFuture.delayedExecutor(replyDelay.toMillis(), TimeUnit.MILLISECONDS, replySender));
        } else if (answer.durable().isDone() && !answer.durable().isCompletedExceptionally()) {
            send(reply, replyTo, handling, unsent);
        } else {
            answer.durable().whenCompleteAsync((recorded, notRecorded) -> {
                if (notRecorded != null) {
                    unsent.accept(notRecorded);
                } else {
                    send(reply, replyTo, handling, unsent);
                }
            }, replySender);
        }
    }

    /** Sends the reply with the handling span's {@code traceparent}; the span ends once the broker has it. */
    private void send(Reply reply, String replyTo, Span handling, Consumer<Throwable> unsent) {
        RecordHeaders headers = ContractHeaders.of(reply.sagaId(), reply.correlationId(), reply.commandType());
        TraceContext.inject(Context.root().with(handling), headers);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(replyTo, null, reply.orderId(),
                Json.write(reply), headers);
        Sends.acknowledged(replies, record).whenComplete((acknowledged, error) -> {
            if (error != null) {
                unsent.accept(error);
            } else {
                handling.end();
            }
        });
    }

    public String serviceName() {
        return participant.serviceName();
    }
}
