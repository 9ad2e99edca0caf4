package dev.ordersaga.saga;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.ordersaga.kafka.CompactedTopic;

/** The saga journal as a compacted Kafka topic keyed by saga id: the latest record of a saga is its state. */
public final class KafkaSagaJournal implements SagaJournal {

    private final CompactedTopic<SagaRecord> topic;

    public KafkaSagaJournal(CompactedTopic<SagaRecord> topic) {
        this.topic = topic;
    }

    @Override
    public CompletableFuture<Void> write(SagaRecord record) {
        return topic.put(record.sagaId(), record);
    }

    @Override
    public CompletableFuture<Void> forget(String sagaId) {
        return topic.delete(sagaId);
    }

    @Override
    public Map<String, SagaRecord> read(Set<Integer> partitions) {
        return topic.read(partitions);
    }
}
