package dev.ordersaga.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.ordersaga.json.Json;
import dev.ordersaga.saga.SagaJournal;
import dev.ordersaga.saga.SagaRecord;

/** The saga journal as a compacted Kafka topic keyed by saga id: the latest record of a saga is its state. */
public final class KafkaSagaJournal implements SagaJournal {

    private final CompactedTopic topic;
    private final Duration readTimeout;

    public KafkaSagaJournal(CompactedTopic topic, Duration readTimeout) {
        this.topic = topic;
        this.readTimeout = readTimeout;
    }

    @Override
    public CompletableFuture<Void> write(SagaRecord record) {
        return topic.put(record.sagaId(), Json.write(record));
    }

    @Override
    public CompletableFuture<Void> forget(String sagaId) {
        return topic.put(sagaId, null);
    }

    @Override
    public Map<String, SagaRecord> readAll() {
        Map<String, SagaRecord> sagas = new HashMap<>();
        topic.readAll(readTimeout).forEach((sagaId, json) -> sagas.put(sagaId, Json.read(json, SagaRecord.class)));
        return sagas;
    }
}
