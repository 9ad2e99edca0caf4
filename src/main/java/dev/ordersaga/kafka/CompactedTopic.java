package dev.ordersaga.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A compacted topic used as a durable key-value table: the latest value of each key is the state, a null value
 * (a tombstone) deletes it. Writes complete when the broker has acknowledged them; the whole table is read back
 * from the beginning at start-up.
 */
public final class CompactedTopic {

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Map<String, Object> consumerConfig;

    public CompactedTopic(Producer<String, byte[]> producer, String topic, Map<String, Object> consumerConfig) {
        this.producer = producer;
        this.topic = topic;
        this.consumerConfig = Map.copyOf(consumerConfig);
    }

    public String name() {
        return topic;
    }

    /** Writes the value of {@code key} (null deletes it); completes once the broker has it. */
    public CompletableFuture<Void> put(String key, byte[] value) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error != null) {
                    written.completeExceptionally(error);
                } else {
                    written.complete(null);
                }
            });
        } catch (RuntimeException e) {
            written.completeExceptionally(e);
        }
        return written;
    }

    /** Reads the table: the latest value of every key that has not been deleted, as of now. */
    public Map<String, byte[]> readAll(Duration timeout) {
        Map<String, byte[]> table = new HashMap<>();
        TopicReader.readFromBeginning(consumerConfig, topic, timeout, record -> {
            if (record.value() == null) {
                table.remove(record.key());
            } else {
                table.put(record.key(), record.value());
            }
        });
        return table;
    }
}
