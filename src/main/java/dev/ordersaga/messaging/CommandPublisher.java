package dev.ordersaga.messaging;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.flow.Participant;
import dev.ordersaga.json.Json;
import dev.ordersaga.kafka.Sends;

/**
 * Puts commands on their participant's topic, per the messaging contract: key = order id, JSON body, headers saga id,
 * correlation id, command type and reply-to. Sends are pipelined: nothing waits for the broker's ack, which completes
 * the returned stage from the producer's callback.
 */
public final class CommandPublisher implements CommandChannel, AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final Map<Participant, String> commandTopics;
    private final String replyTopic;

    /** @param commandTopics the command topic of every participant of every flow this replica knows */
    public CommandPublisher(Producer<String, byte[]> producer, Map<Participant, String> commandTopics, String replyTopic) {
        this.producer = producer;
        this.commandTopics = Map.copyOf(commandTopics);
        this.replyTopic = replyTopic;
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
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, command.order().orderId(),
                Json.write(command), headers);
        return Sends.acknowledged(producer, record);
    }

    @Override
    public void close() {
        producer.close();
    }
}
