package dev.ordersaga.orders;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.producer.RecordMetadata;

import dev.ordersaga.domain.OrderSnapshot;
import dev.ordersaga.kafka.CompactedTopic;
import dev.ordersaga.kafka.TopicTail;

/**
 * Order snapshots in a compacted Kafka topic keyed by order id, written by every replica and followed by every
 * replica from the beginning. A replica reads its own writes back as the snapshots it wrote, without decoding them
 * again (the record's bytes are compared with those it wrote): they were half of what the orders' tail spent.
 */
public final class KafkaOrderStore implements OrderStore, AutoCloseable {

    /** A snapshot this replica has written and not read back yet, with the bytes it was written as. */
    private record Unread(byte[] json, OrderSnapshot snapshot) {
    }

    private final CompactedTopic<OrderSnapshot> topic;
    private final Map<String, Unread> unread = new ConcurrentHashMap<>();
    private TopicTail tail;

    public KafkaOrderStore(CompactedTopic<OrderSnapshot> topic) {
        this.topic = topic;
    }

    @Override
    public CompletableFuture<Void> save(OrderSnapshot snapshot) {
        Unread written = unread(snapshot);
        CompletableFuture<Void> saved = topic.putBytes(snapshot.order().orderId(), written.json());
        forgetIfUnsent(saved, snapshot.order().orderId(), written);
        return saved;
    }

    @Override
    public CompletableFuture<Void> saveAndReadBack(OrderSnapshot snapshot) {
        Unread written = unread(snapshot);
        CompletableFuture<RecordMetadata> saved = topic.writeBytes(snapshot.order().orderId(), written.json());
        forgetIfUnsent(saved, snapshot.order().orderId(), written);
        return saved.thenCompose(at -> tail.whenPast(at.partition(), at.offset()));
    }

    private Unread unread(OrderSnapshot snapshot) {
        Unread written = new Unread(topic.bytesOf(snapshot), snapshot);
        unread.put(snapshot.order().orderId(), written);
        return written;
    }

    /** A write that failed will not be read back (and if it was written after all, it is read as anyone's). */
    private void forgetIfUnsent(CompletableFuture<?> saved, String orderId, Unread written) {
        saved.whenComplete((at, error) -> {
            if (error != null) {
                unread.remove(orderId, written);
            }
        });
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
                return;
            }
            Unread own = unread.get(record.key());
            if (own != null && Arrays.equals(own.json(), record.value())) {
                unread.remove(record.key(), own);
                changes.saved(own.snapshot());
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
