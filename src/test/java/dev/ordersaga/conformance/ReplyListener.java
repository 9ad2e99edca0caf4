package dev.ordersaga.conformance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ordersaga.json.Json;

/**
 * Reads every record that arrives on the kit's reply topic from the moment it starts (all partitions assigned, no
 * consumer group), and lets the kit await the replies of a correlation id.
 */
final class ReplyListener implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, String> consumer;
    private final Map<String, List<ReceivedReply>> byCorrelationId = new HashMap<>();
    private final List<ReceivedReply> all = new ArrayList<>();
    private final Thread poller;
    private final int partitions;

    ReplyListener(Map<String, Object> clientConfig, String topic) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put("enable.auto.commit", false);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> assigned = partitionsOf(topic);
        partitions = assigned.size();
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        // resolves the end offsets now, so that nothing sent from here on is missed
        assigned.forEach(consumer::position);
        poller = new Thread(this::poll, "conformance-kit-replies");
        poller.setDaemon(true);
        poller.start();
    }

    /** The topic's partitions, once this client's metadata knows the topic (just created, it may not yet). */
    private List<TopicPartition> partitionsOf(String topic) {
        long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
        List<TopicPartition> found = List.of();
        while (found.isEmpty() && System.nanoTime() < deadline) {
            found = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("the reply topic " + topic + " has no partitions");
        }
        return found;
    }

    int partitions() {
        return partitions;
    }

    private void poll() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    received(record);
                }
            }
        } catch (WakeupException closing) {
            // close() stops the poller
        } finally {
            consumer.close();
        }
    }

    private synchronized void received(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8));
        }
        JsonNode body;
        try {
            body = record.value() == null ? null : Json.MAPPER.readTree(record.value());
        } catch (Exception notJson) {
            body = null;
        }
        ReceivedReply reply = new ReceivedReply(record.partition(), record.key(), headers, body, record.value());
        all.add(reply);
        String id = reply.correlationId();
        if (id != null) {
            byCorrelationId.computeIfAbsent(id, k -> new ArrayList<>()).add(reply);
        }
        notifyAll();
    }

    /** How many replies of this correlation id arrived so far. */
    synchronized int count(String correlationId) {
        return byCorrelationId.getOrDefault(correlationId, List.of()).size();
    }

    /** The {@code n}-th reply (from 1) of this correlation id, once it arrives within the timeout. */
    synchronized Optional<ReceivedReply> await(String correlationId, int n, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(correlationId) < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return Optional.of(byCorrelationId.get(correlationId).get(n - 1));
    }

    /** Every record received so far. */
    synchronized List<ReceivedReply> all() {
        return List.copyOf(all);
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        poller.join(POLL.toMillis() * 50);
    }
}
