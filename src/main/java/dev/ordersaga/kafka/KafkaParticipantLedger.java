package dev.ordersaga.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.ordersaga.json.Json;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.participants.ParticipantLedger;

/** A participant's ledger as a single-partition Kafka topic that keeps every record (order matters). */
public final class KafkaParticipantLedger implements ParticipantLedger {

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Map<String, Object> readerConfig;
    private final Duration timeout;

    public KafkaParticipantLedger(Producer<String, byte[]> producer, String topic, Map<String, Object> readerConfig,
                                  Duration timeout) {
        this.producer = producer;
        this.topic = topic;
        this.readerConfig = Map.copyOf(readerConfig);
        this.timeout = timeout;
    }

    @Override
    public CompletableFuture<Void> record(Command command) {
        return Sends.acknowledged(producer, new ProducerRecord<>(topic, command.correlationId(), Json.write(command)));
    }

    @Override
    public void replay(Consumer<Command> onCommand) {
        TopicReader.readFromBeginning(readerConfig, topic, null, timeout,
                record -> onCommand.accept(Json.read(record.value(), Command.class)));
    }
}
