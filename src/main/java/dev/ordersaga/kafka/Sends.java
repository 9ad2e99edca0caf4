package dev.ordersaga.kafka;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** A Kafka send as a future that completes when the broker has acknowledged the record. */
public final class Sends {

    private Sends() {
    }

    public static <K, V> CompletableFuture<Void> acknowledged(Producer<K, V> producer, ProducerRecord<K, V> record) {
        return written(producer, record).thenApply(metadata -> null);
    }

    /** The same, with where the record was written: its partition and offset. */
    public static <K, V> CompletableFuture<RecordMetadata> written(Producer<K, V> producer,
                                                                   ProducerRecord<K, V> record) {
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    acknowledged.completeExceptionally(error);
                } else {
                    acknowledged.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            // send() itself throws when it cannot get the topic's metadata within max.block.ms
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }
}
