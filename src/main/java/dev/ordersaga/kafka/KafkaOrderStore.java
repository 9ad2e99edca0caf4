package dev.ordersaga.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

import dev.ordersaga.domain.OrderSnapshot;
import dev.ordersaga.domain.OrderStore;
import dev.ordersaga.json.Json;

/** Order snapshots in a compacted Kafka topic keyed by order id. */
public final class KafkaOrderStore implements OrderStore {

    private final CompactedTopic topic;
    private final Duration readTimeout;

    public KafkaOrderStore(CompactedTopic topic, Duration readTimeout) {
        this.topic = topic;
        this.readTimeout = readTimeout;
    }

    @Override
    public CompletableFuture<Void> save(OrderSnapshot snapshot) {
        return topic.put(snapshot.order().orderId(), Json.write(snapshot));
    }

    @Override
    public void forget(String orderId) {
        topic.put(orderId, null);
    }

    @Override
    public Collection<OrderSnapshot> loadAll() {
        return topic.readAll(readTimeout).values().stream().map(json -> Json.read(json, OrderSnapshot.class)).toList();
    }
}
