package dev.ordersaga.participants;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.ordersaga.json.Json;
import dev.ordersaga.kafka.Sends;
import dev.ordersaga.kafka.TopicReader;
import dev.ordersaga.messaging.Command;

/**
 * A participant's ledger in the reference participants' ledger topic: one partition that keeps every record (order
 * matters), shared by all of them, each record keyed by the participant's name. One topic for all, so that a
 * participant added to a flow needs no topic of its own; each replays only its own records, at start-up.
 */
public final class KafkaParticipantLedger implements ParticipantLedger {

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final String participant;
    private final Map<String, Object> readerConfig;
    private final Duration timeout;

    public KafkaParticipantLedger(Producer<String, byte[]> producer, String topic, String participant,
                                  Map<String, Object> readerConfig, Duration timeout) {
        this.producer = producer;
        this.topic = topic;
        this.participant = participant;
        this.readerConfig = Map.copyOf(readerConfig);
        this.timeout = timeout;
    }

    @Override
    public CompletableFuture<Void> record(Command command) {
        return Sends.acknowledged(producer, new ProducerRecord<>(topic, participant, Json.write(command)));
    }

    @Override
    public void replay(Consumer<Command> onCommand) {
        TopicReader.readFromBeginning(readerConfig, topic, null, timeout, record -> {
            if (participant.equals(record.key())) {
                onCommand.accept(Json.read(record.value(), Command.class));
            }
        });
    }
}
