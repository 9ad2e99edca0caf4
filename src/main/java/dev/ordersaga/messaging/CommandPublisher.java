package dev.ordersaga.messaging;

import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.flow.Participant;
import dev.ordersaga.json.Json;
import dev.ordersaga.kafka.Sends;

/**
 * Puts commands on their participant's topic, per the messaging contract: key = order id, JSON body, headers saga id,
 * correlation id, command type and reply-to. Sends are pipelined: nothing waits for the broker's ack; a failed send is
 * reported to {@code onFailure} from the producer's callback.
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
    public void publish(CommandType type, Command command, Consumer<Throwable> onFailure) {
        String topic = commandTopics.get(type.participant());
        if (topic == null) {
            onFailure.accept(new IllegalStateException("No command topic for " + type.participant()));
            return;
        }
        RecordHeaders headers = ContractHeaders.of(command.sagaId(), command.correlationId(), type.wireName());
        headers.add(MessageHeaders.REPLY_TO, ContractHeaders.utf8(replyTopic));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, command.order().orderId(),
                Json.write(command), headers);
        Sends.acknowledged(producer, record).exceptionally(error -> {
            onFailure.accept(error);
            return null;
        });
    }

    @Override
    public void close() {
        producer.close();
    }
}
