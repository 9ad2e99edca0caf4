package dev.ordersaga.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/**
 * The formula the contract states and the kit checks, {@code toPositive(murmur2(utf8(key))) % partitions}, is the
 * partition the Java producer itself picks for a keyed record.
 */
class ReplyPartitionTest {

    private static final int KEYS = 10_000;
    private static final int[] PARTITION_COUNTS = {1, 5, 8, 12};

    @Test
    void theContractsFormulaIsTheJavaProducersDefault() {
        for (int i = 0; i < KEYS; i++) {
            String key = UUID.randomUUID().toString();
            for (int partitions : PARTITION_COUNTS) {
                assertThat(ReplyChecks.partitionOf(key, partitions)).as(key).isEqualTo(
                        BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }
}
