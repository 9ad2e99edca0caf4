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
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.json.Json;
import dev.ordersaga.kafka.Sends;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.ContractHeaders;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.messaging.Reply;

/**
 * Answers one command record of one participant: the reply goes to the topic the command's {@code reply-to} header
 * names, keyed by order id, with the contract's headers, once what it answers is durable in the participant's
 * ledger. The reply's ids and headers come from the command's body, which is authoritative ({@link CommandRecords}).
 * Nothing waits for the broker: the consumer goes on with the next command at once, and Kafka keeps the replies of
 * one order in order. A record that cannot be answered (not JSON, no correlation id, no {@code reply-to}) is logged
 * and skipped.
 */
public final class ParticipantCommandProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ParticipantCommandProcessor.class);

    private final IdempotentParticipant participant;
    private final Producer<String, byte[]> replies;
    private final Executor replySender;
    private final Duration replyDelay;

    /**
     * @param replySender sends the replies whose ledger record has been acknowledged; never the producer's own I/O
     *                    thread, which a send waiting for metadata would block
     * @param replyDelay  how long each reply is held back (zero: none), to play a slow participant in demos and
     *                    tests; nothing waits meanwhile
     */
    public ParticipantCommandProcessor(IdempotentParticipant participant, Producer<String, byte[]> replies,
                                       Executor replySender, Duration replyDelay) {
        this.participant = participant;
        this.replies = replies;
        this.replySender = replySender;
        this.replyDelay = replyDelay;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        String body = message.getBody(String.class);
        String replyTo = message.getHeader(MessageHeaders.REPLY_TO, String.class);
        Optional<Command> read = CommandRecords.read(body);
        if (read.isEmpty() || replyTo == null) {
            LOG.warn("{} skipped a record that is not a command it can answer: {}", participant.serviceName(), body);
            return;
        }
        Command command = read.get();
        IdempotentParticipant.Answer answer = participant.handle(command);
        Reply reply = answer.reply();
        Consumer<Throwable> unsent = error -> LOG.warn("{} could not answer {}: {}", participant.serviceName(),
                reply.correlationId(), error.getMessage());
        if (!replyDelay.isZero()) {
            answer.durable().whenCompleteAsync((recorded, notRecorded) -> {
                if (notRecorded != null) {
                    unsent.accept(notRecorded);
                } else {
                    send(reply, replyTo, unsent);
                }
            }, CompletableFuture.delayedExecutor(replyDelay.toMillis(), TimeUnit.MILLISECONDS, replySender));
        } else if (answer.durable().isDone() && !answer.durable().isCompletedExceptionally()) {
            send(reply, replyTo, unsent);
        } else {
            answer.durable().whenCompleteAsync((recorded, notRecorded) -> {
                if (notRecorded != null) {
                    unsent.accept(notRecorded);
                } else {
                    send(reply, replyTo, unsent);
                }
            }, replySender);
        }
    }

    private void send(Reply reply, String replyTo, Consumer<Throwable> unsent) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(replyTo, null, reply.orderId(),
                Json.write(reply), ContractHeaders.of(reply.sagaId(), reply.correlationId(), reply.commandType()));
        Sends.acknowledged(replies, record).exceptionally(error -> {
            unsent.accept(error);
            return null;
        });
    }

    public String serviceName() {
        return participant.serviceName();
    }
}
