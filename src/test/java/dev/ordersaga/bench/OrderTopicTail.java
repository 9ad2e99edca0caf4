package dev.ordersaga.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.ordersaga.domain.OrderSnapshot;
import dev.ordersaga.domain.OrderStatus;
import dev.ordersaga.json.Json;

/**
 * The end of every saga, seen from outside the orchestrator: a plain consumer in the benchmark's JVM reads every
 * partition of the order topic from its end (no consumer group) and completes an order's wait when a snapshot with
 * {@code "sagaEnded":true} arrives for it (the record the replica that drove the saga writes when it ends; keyed by
 * order id). Whichever replica took the order and whichever drove its saga, the end is seen the same way, and no HTTP
 * worker is held. Compared with {@link SagaEnds#of} in the orchestrator's JVM, it adds one hop: that record's write
 * and its read by this consumer.
 */
final class OrderTopicTail implements SagaEnds, AutoCloseable {

    private static final byte[] ENDED = "\"sagaEnded\":true".getBytes(StandardCharsets.UTF_8);

    /** Waits by order id; an end seen before its order's POST came back waits here, completed, for its waiter. */
    private final Map<String, CompletableFuture<OrderStatus>> ends = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final AtomicLong endsSeen = new AtomicLong();
    private volatile boolean running = true;

    /** @param kafka the cluster's client settings; {@code topic} the application's order topic */
    OrderTopicTail(Map<String, Object> kafka, String topic) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-order-tail");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("Topic " + topic + " has no partitions");
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now, before the first order is placed
        // named bench-…: its CPU counts as the load generator's
        thread = new Thread(this::pollLoop, "bench-order-tail");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public Optional<CompletableFuture<OrderStatus>> whenEnded(String orderId) {
        CompletableFuture<OrderStatus> ended = ends.computeIfAbsent(orderId, id -> new CompletableFuture<>());
        return Optional.of(ended.whenComplete((status, error) -> ends.remove(orderId, ended)));
    }

    /** Snapshots with {@code sagaEnded} seen so far. */
    long endsSeen() {
        return endsSeen.get();
    }

    private void pollLoop() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    // tombstones (forgotten orders) and snapshots of sagas still running: nothing to complete
                    if (record.key() == null || record.value() == null || indexOf(record.value(), ENDED) < 0) {
                        continue;
                    }
                    OrderSnapshot snapshot = Json.read(record.value(), OrderSnapshot.class);
                    if (snapshot.sagaEnded()) {
                        endsSeen.incrementAndGet();
                        ends.computeIfAbsent(record.key(), id -> new CompletableFuture<>()).complete(snapshot.status());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) {
                System.err.println("bench-order-tail stopped: " + e);
                e.printStackTrace();
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
