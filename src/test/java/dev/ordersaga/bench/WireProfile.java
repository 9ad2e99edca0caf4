package dev.ordersaga.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What one saga writes to Kafka: runs some sagas one at a time and counts, per topic, the records they added and
 * their average size (key + value + headers). Shows what the orchestrator writes beyond the floor's commands and
 * replies (its journal, its order records), and checks that the floor's records are the size of the application's.
 */
final class WireProfile {

    /** Records per saga on one topic, and their average size in bytes. */
    record TopicTraffic(String topic, double recordsPerSaga, double averageBytes, double averageValueBytes,
                        double tombstonesPerSaga) {
    }

    private WireProfile() {
    }

    static List<TopicTraffic> measure(Map<String, Object> clientConfig, SagaTarget target, int sagas,
                                      Predicate<String> topicFilter) throws Exception {
        try (Admin admin = Admin.create(clientConfig)) {
            Map<TopicPartition, Long> before = endOffsets(admin, topicFilter);
            for (int i = 0; i < sagas; i++) {
                CountDownLatch ended = new CountDownLatch(1);
                String[] failure = new String[1];
                target.start(new SagaTarget.Outcome() {
                    @Override
                    public void ok() {
                        ended.countDown();
                    }

                    @Override
                    public void failed(String kind) {
                        failure[0] = kind;
                        ended.countDown();
                    }
                });
                if (!ended.await(30, TimeUnit.SECONDS) || failure[0] != null) {
                    throw new IllegalStateException("A saga of the wire profile did not end well: "
                            + (failure[0] == null ? "no end within 30 s" : failure[0]));
                }
            }
            // let the last asynchronous writes (order records, forgotten sagas) land
            Thread.sleep(1000);
            Map<TopicPartition, Long> after = endOffsets(admin, topicFilter);
            Map<String, long[]> perTopic = new TreeMap<>(); // records, bytes, tombstones, value bytes
            Map<TopicPartition, long[]> ranges = new HashMap<>();
            after.forEach((partition, end) -> {
                long start = before.getOrDefault(partition, 0L);
                if (end > start) {
                    ranges.put(partition, new long[] {start, end});
                }
            });
            if (!ranges.isEmpty()) {
                Map<String, Object> config = new HashMap<>(clientConfig);
                config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
                config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-wire-profile");
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
                    consumer.assign(ranges.keySet());
                    ranges.forEach((partition, range) -> consumer.seek(partition, range[0]));
                    long remaining = ranges.values().stream().mapToLong(r -> r[1] - r[0]).sum();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (remaining > 0 && System.nanoTime() < deadline) {
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                            long[] range = ranges.get(partition);
                            if (range == null || record.offset() >= range[1]) {
                                continue;
                            }
                            remaining--;
                            long[] sums = perTopic.computeIfAbsent(record.topic(), t -> new long[4]);
                            sums[0]++;
                            sums[1] += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
                            for (Header header : record.headers()) {
                                sums[1] += header.key().length() + (header.value() == null ? 0 : header.value().length);
                            }
                            if (record.value() == null) {
                                sums[2]++;
                            } else {
                                sums[3] += record.value().length;
                            }
                        }
                    }
                }
            }
            List<TopicTraffic> traffic = new ArrayList<>();
            perTopic.forEach((topic, sums) -> traffic.add(new TopicTraffic(topic,
                    CpuMeter.round((double) sums[0] / sagas, 2), CpuMeter.round((double) sums[1] / sums[0], 0),
                    sums[0] > sums[2] ? CpuMeter.round((double) sums[3] / (sums[0] - sums[2]), 0) : 0,
                    CpuMeter.round((double) sums[2] / sagas, 2))));
            return traffic;
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, Predicate<String> topicFilter) throws Exception {
        Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<String> topics = names.stream().filter(topicFilter).toList();
        Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        descriptions.values().forEach(d -> d.partitions().forEach(
                p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(request).all().get(30, TimeUnit.SECONDS)
                .forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }
}
