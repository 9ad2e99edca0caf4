package dev.ordersaga.testsupport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.ordersaga.saga.SagaJournal;
import dev.ordersaga.saga.SagaRecord;

/** A journal in memory, of one partition, that also keeps every record written, to check what was written when. */
public final class InMemorySagaJournal implements SagaJournal {

    private final Map<String, SagaRecord> current = new HashMap<>();
    private final Map<String, List<SagaRecord>> history = new HashMap<>();

    @Override
    public synchronized CompletableFuture<Void> write(SagaRecord record) {
        current.put(record.sagaId(), record);
        history.computeIfAbsent(record.sagaId(), id -> new ArrayList<>()).add(record);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> forget(String sagaId) {
        current.remove(sagaId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized Map<String, SagaRecord> read(Set<Integer> partitions) {
        return partitions.contains(0) ? Map.copyOf(current) : Map.of();
    }

    public synchronized Map<String, SagaRecord> readAll() {
        return Map.copyOf(current);
    }

    public synchronized List<SagaRecord> history(String sagaId) {
        return List.copyOf(history.getOrDefault(sagaId, List.of()));
    }
}
