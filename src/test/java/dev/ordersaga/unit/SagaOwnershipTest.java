package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.ordersaga.saga.SagaOwnership;

/** Which replica drives which saga: by the partition Kafka puts the saga's records in. */
class SagaOwnershipTest {

    private final SagaOwnership ownership = new SagaOwnership(12);

    @Test
    void aSagaIsInThePartitionKafkasDefaultPartitionerPutsRecordsKeyedByItsId() {
        // participants key their replies by order id with the default partitioner: the reply of a saga must land in
        // the partition whose owner drives it
        for (int i = 0; i < 1000; i++) {
            String orderId = UUID.randomUUID().toString();
            assertThat(ownership.partitionOf(orderId)).isEqualTo(
                    BuiltInPartitioner.partitionForKey(orderId.getBytes(StandardCharsets.UTF_8), 12));
        }
    }

    @Test
    void anOrderIdMadeForAnIdempotencyKeyLandsInTheKeysPartition() {
        for (int i = 0; i < 100; i++) {
            String key = "client-key-" + i;
            assertThat(ownership.partitionOf(ownership.newIdInPartitionOf(key))).isEqualTo(ownership.partitionOf(key));
        }
    }

    @Test
    void newOrdersStartOnlyOnceTheirPartitionIsRecovered() {
        String sagaId = idInPartition(3);

        ownership.assign(List.of(3));
        assertThat(ownership.isAssigned(sagaId)).isTrue();
        assertThat(ownership.drives(sagaId)).isFalse();
        assertThat(ownership.ownedCount()).isZero();

        ownership.recovered(3);
        assertThat(ownership.drives(sagaId)).isTrue();
        assertThat(ownership.ownedCount()).isEqualTo(1);
    }

    @Test
    void nothingIsWrittenForASagaWhosePartitionWasRevoked() {
        String sagaId = idInPartition(5);
        ownership.assign(List.of(5));

        ownership.revoke(List.of(5));

        assertThat(ownership.whileAssigned(sagaId, () -> "written")).isEmpty();
        assertThat(ownership.isAssigned(sagaId)).isFalse();
    }

    @Test
    void revokeWaitsForAWriteUnderWay() throws Exception {
        String sagaId = idInPartition(7);
        ownership.assign(List.of(7));
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch finishWrite = new CountDownLatch(1);
        AtomicBoolean writeFinished = new AtomicBoolean();
        Thread writer = new Thread(() -> ownership.whileAssigned(sagaId, () -> {
            writing.countDown();
            await(finishWrite);
            writeFinished.set(true);
            return null;
        }));
        writer.start();
        writing.await(5, TimeUnit.SECONDS);

        Thread revoker = new Thread(() -> ownership.revoke(List.of(7)));
        revoker.start();
        // parked on the fence: revoke does not return while the write is under way
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> revoker.getState() == Thread.State.WAITING);
        assertThat(ownership.isAssigned(sagaId)).isTrue();

        finishWrite.countDown();
        revoker.join(5000);
        assertThat(revoker.isAlive()).isFalse();
        assertThat(writeFinished).isTrue();
        writer.join(5000);
    }

    private String idInPartition(int partition) {
        String id;
        do {
            id = UUID.randomUUID().toString();
        } while (ownership.partitionOf(id) != partition);
        return id;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
