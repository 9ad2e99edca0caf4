package dev.ordersaga.conformance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ordersaga.json.Json;

/**
 * A payment-service that breaks the contract the way a hasty one would: it says SUCCESS to every command, keys its
 * replies by correlation id and sends no headers. The kit must fail it.
 */
final class BrokenPaymentService implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final Thread loop;

    BrokenPaymentService(String bootstrap, String commandTopic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(commandTopic, Optional.of(1), Optional.empty()))).all().get();
        }
        consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "enable.auto.commit",
                false),
                new StringDeserializer(), new StringDeserializer());
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap), new StringSerializer(),
                new StringSerializer());
        consumer.assign(List.of(new TopicPartition(commandTopic, 0)));
        // from the end as it is now, before the kit sends anything
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        loop = new Thread(this::answerEverything, "broken-payment-service");
        loop.start();
    }

    private void answerEverything() {
        try {
            while (true) {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    answer(record);
                }
            }
        } catch (WakeupException stopping) {
            consumer.close();
        }
    }

    private void answer(ConsumerRecord<String, String> record) {
        JsonNode command;
        try {
            command = Json.MAPPER.readTree(record.value());
        } catch (Exception notJson) {
            return;
        }
        String correlationId = command.path("correlationId").asText();
        String replyTo = new String(record.headers().lastHeader("reply-to").value());
        String reply = Json.writeString(Map.of("correlationId", correlationId, "sagaId",
                command.path("sagaId").asText(), "orderId", command.path("sagaId").asText(), "commandType",
                command.path("type").asText(), "outcome", "SUCCESS", "retryable", false,
                "participant", "payment-service", "at", Instant.now().toString()));
        producer.send(new ProducerRecord<>(replyTo, correlationId, reply));
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        loop.join();
        producer.close();
    }
}
