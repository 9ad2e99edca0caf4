package dev.ordersaga.saga;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.apache.kafka.common.utils.Utils;

/**
 * Which sagas this replica drives. Every record of a saga (command, reply, journal record, order record) is keyed by
 * its order id, and the topics have the same partition count, so a saga lives in one partition number everywhere.
 * The replica that the orchestrator's consumer group assigns partition <i>p</i> of the reply topic owns every saga
 * of <i>p</i>: Kafka's group protocol is the only coordination between replicas.
 * <p>
 * A partition is first {@code RECOVERING} (its unfinished sagas are being resumed) and then {@code OWNED} (new orders
 * of it start at once). Writes on behalf of a saga go through {@link #whileAssigned}, which holds a read lock that
 * {@link #revoke} takes for writing: once {@code revoke} returns, no write of a revoked saga starts in this replica.
 */
public final class SagaOwnership {

    private enum State { RECOVERING, OWNED }

    private final int partitions;
    private final Map<Integer, State> assigned = new ConcurrentHashMap<>();
    private final ReadWriteLock fence = new ReentrantReadWriteLock();

    public SagaOwnership(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        this.partitions = partitions;
    }

    /** The partition of a saga (or order) id: Kafka's default partitioner for a record keyed by it. */
    public int partitionOf(String sagaId) {
        return Utils.toPositive(Utils.murmur2(sagaId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * A new random id that lands in the same partition as {@code key}. An order placed with an Idempotency-Key gets
     * such an id, so that every request with that key is decided in one partition, by its owner, in log order.
     */
    public String newIdInPartitionOf(String key) {
        int wanted = partitionOf(key);
        String id;
        do {
            id = UUID.randomUUID().toString();
        } while (partitionOf(id) != wanted);
        return id;
    }

    public int partitions() {
        return partitions;
    }

    /** Partitions given to this replica: their sagas are being recovered; writes for them are allowed. */
    public void assign(Collection<Integer> newlyAssigned) {
        newlyAssigned.forEach(partition -> assigned.put(partition, State.RECOVERING));
    }

    /** The partition's unfinished sagas have been resumed: from now on its new orders start at once. */
    public void recovered(int partition) {
        assigned.replace(partition, State.RECOVERING, State.OWNED);
    }

    /** Takes partitions away; returns once no write for their sagas is under way in this replica. */
    public void revoke(Collection<Integer> revoked) {
        fence.writeLock().lock();
        try {
            revoked.forEach(assigned::remove);
        } finally {
            fence.writeLock().unlock();
        }
    }

    /** Whether new orders of this saga's partition start here at once (the partition is owned and recovered). */
    public boolean drives(String sagaId) {
        return assigned.get(partitionOf(sagaId)) == State.OWNED;
    }

    public boolean isAssigned(String sagaId) {
        return assigned.containsKey(partitionOf(sagaId));
    }

    /** Runs {@code write} if this replica is assigned the saga's partition, and keeps it assigned meanwhile. */
    public <T> Optional<T> whileAssigned(String sagaId, Supplier<T> write) {
        fence.readLock().lock();
        try {
            return isAssigned(sagaId) ? Optional.ofNullable(write.get()) : Optional.empty();
        } finally {
            fence.readLock().unlock();
        }
    }

    /** How many partitions this replica owns and has recovered. */
    public int ownedCount() {
        return (int) assigned.values().stream().filter(state -> state == State.OWNED).count();
    }

    /** The partitions assigned to this replica, in order. */
    public Set<Integer> assignedPartitions() {
        return new TreeSet<>(assigned.keySet());
    }
}
