package dev.ordersaga.orders;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.ordersaga.domain.OrderSnapshot;
import dev.ordersaga.kafka.CompactedTopic;
import dev.ordersaga.kafka.TopicTail;

/**
 * Order snapshots in a compacted Kafka topic keyed by order id, written by every replica and followed by every
 * replica from the beginning.
 */
public final class KafkaOrderStore implements OrderStore, AutoCloseable {

    private final CompactedTopic<OrderSnapshot> topic;
    private TopicTail tail;

    public KafkaOrderStore(CompactedTopic<OrderSnapshot> topic) {
        this.topic = topic;
    }

    @Override
    public CompletableFuture<Void> save(OrderSnapshot snapshot) {
        return topic.put(snapshot.order().orderId(), snapshot);
    }

    @Override
    public CompletableFuture<Void> saveAndReadBack(OrderSnapshot snapshot) {
        return topic.write(snapshot.order().orderId(), snapshot)
                .thenCompose(written -> tail.whenPast(written.partition(), written.offset()));
    }

    @Override
    public void forget(String orderId) {
        topic.delete(orderId);
    }

    @Override
    public void follow(OrderChanges changes) {
        tail = new TopicTail(topic.consumerConfig(), topic.name(), topic.readTimeout(), record -> {
            if (record.value() == null) {
                changes.forgotten(record.key());
            } else {
                changes.saved(topic.valueOf(record.value()));
            }
        });
        tail.start();
    }

    @Override
    public CompletableFuture<Void> caughtUp(Set<Integer> partitions) {
        return tail.caughtUp(partitions);
    }

    @Override
    public void close() throws InterruptedException {
        if (tail != null) {
            tail.close();
        }
    }
}
