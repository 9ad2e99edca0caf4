package dev.ordersaga.kafka;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

import dev.ordersaga.domain.OrderSnapshot;
import dev.ordersaga.domain.OrderStore;

/** Order snapshots in a compacted Kafka topic keyed by order id. */
public final class KafkaOrderStore implements OrderStore {

    private final CompactedTopic<OrderSnapshot> topic;

    public KafkaOrderStore(CompactedTopic<OrderSnapshot> topic) {
        this.topic = topic;
    }

    @Override
    public CompletableFuture<Void> save(OrderSnapshot snapshot) {
        return topic.put(snapshot.order().orderId(), snapshot);
    }

    @Override
    public void forget(String orderId) {
        topic.delete(orderId);
    }

    @Override
    public Collection<OrderSnapshot> loadAll() {
        return topic.readAll().values();
    }
}
