package dev.ordersaga.saga;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Where sagas are written down before anything they cover is done, so that a saga in flight survives the death of
 * the process. A saga that ended well is forgotten; one that ended failed is kept for an operator to retry.
 */
public interface SagaJournal {

    /** Records the saga as it stands; completes once the record is durable. */
    CompletableFuture<Void> write(SagaRecord record);

    /** Forgets an ended saga; completes once that is durable. */
    CompletableFuture<Void> forget(String sagaId);

    /**
     * Every saga of the given partitions recorded and not forgotten, by saga id: what a replica that takes over
     * those partitions must drive to an end.
     */
    Map<String, SagaRecord> read(Set<Integer> partitions);
}
