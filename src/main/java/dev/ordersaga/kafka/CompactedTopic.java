package dev.ordersaga.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import dev.ordersaga.json.Json;

/**
 * A compacted topic used as a durable table of JSON values: the latest value of each key is the state, a tombstone
 * deletes it. Writes complete when the broker has acknowledged them; the whole table is read back from the
 * beginning at start-up.
 */
public final class CompactedTopic<V> {

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final Duration readTimeout;
    private final Class<V> valueType;

    public CompactedTopic(Producer<String, byte[]> producer, String topic, Map<String, Object> consumerConfig,
                          Duration readTimeout, Class<V> valueType) {
        this.producer = producer;
        this.topic = topic;
        this.consumerConfig = Map.copyOf(consumerConfig);
        this.readTimeout = readTimeout;
        this.valueType = valueType;
    }

    /** Writes the value of {@code key}; completes once the broker has it. */
    public CompletableFuture<Void> put(String key, V value) {
        return putBytes(key, bytesOf(value));
    }

    /** Writes {@code json}, a value as {@link #bytesOf} gives it, as the value of {@code key}; completes once the broker has it. */
    public CompletableFuture<Void> putBytes(String key, byte[] json) {
        return send(key, json);
    }

    /** Writes {@code json}, a value as {@link #bytesOf} gives it; completes with where it was written once the broker has it. */
    public CompletableFuture<RecordMetadata> writeBytes(String key, byte[] json) {
        return Sends.written(producer, new ProducerRecord<>(topic, key, json));
    }

    /** A value as this table writes it. */
    public byte[] bytesOf(V value) {
        return Json.write(value);
    }

    /** Reads a value as this table writes it. */
    public V valueOf(byte[] json) {
        return Json.read(json, valueType);
    }

    public String name() {
        return topic;
    }

    public Map<String, Object> consumerConfig() {
        return consumerConfig;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    /** Deletes {@code key}; completes once the broker has the tombstone. */
    public CompletableFuture<Void> delete(String key) {
        return send(key, null);
    }

    /** Reads the part of the table in the given partitions: the latest value of every key not deleted, as of now. */
    public Map<String, V> read(Set<Integer> partitions) {
        Map<String, byte[]> table = new HashMap<>();
        TopicReader.readFromBeginning(consumerConfig, topic, partitions, readTimeout, record -> {
            if (record.value() == null) {
                table.remove(record.key());
            } else {
                table.put(record.key(), record.value());
            }
        });
        Map<String, V> values = new HashMap<>();
        table.forEach((key, json) -> values.put(key, Json.read(json, valueType)));
        return values;
    }

    private CompletableFuture<Void> send(String key, byte[] value) {
        return Sends.acknowledged(producer, new ProducerRecord<>(topic, key, value));
    }
}
