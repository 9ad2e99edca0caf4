package dev.ordersaga.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every partition of a topic from its beginning, without a consumer group, on a thread of its own: how each
 * replica keeps a view of a table that all replicas write. {@link #start} returns once the records written before it
 * have been handed over; after that, {@link #whenPast} and {@link #caughtUp} tell when this reader has seen a given
 * write, which is what read-your-writes across replicas needs.
 */
public final class TopicTail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Map<String, Object> consumerConfig;
    private final String topic;
    private final Duration readTimeout;
    private final Consumer<ConsumerRecord<String, byte[]>> onRecord;
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final Queue<CatchUp> catchUps = new ConcurrentLinkedQueue<>();
    private KafkaConsumer<String, byte[]> consumer;
    private List<TopicPartition> partitions;
    private AtomicLongArray positions;
    private Thread thread;
    private volatile boolean running;

    private record Waiter(int partition, long offset, CompletableFuture<Void> seen) {
    }

    private record CatchUp(Collection<Integer> partitions, CompletableFuture<Void> seen) {
    }

    public TopicTail(Map<String, Object> consumerConfig, String topic, Duration readTimeout,
                     Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        this.consumerConfig = new HashMap<>(consumerConfig);
        this.topic = topic;
        this.readTimeout = readTimeout;
        this.onRecord = onRecord;
    }

    /** Reads the topic up to its end as of now, then goes on following it in the background. */
    public void start() {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        partitions = consumer.partitionsFor(topic, readTimeout).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
        positions = new AtomicLongArray(partitions.size());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, readTimeout);
        long deadline = System.nanoTime() + readTimeout.toNanos();
        while (!TopicReader.caughtUp(consumer, end)) {
            if (System.nanoTime() > deadline) {
                consumer.close();
                throw new IllegalStateException("Could not read " + topic + " to its end within " + readTimeout);
            }
            pollOnce();
        }
        running = true;
        thread = new Thread(this::follow, "tail-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** Completes once this reader has handed over the record at {@code offset} of {@code partition}. */
    public CompletableFuture<Void> whenPast(int partition, long offset) {
        CompletableFuture<Void> seen = new CompletableFuture<>();
        if (positions.get(partition) > offset) {
            seen.complete(null);
            return seen;
        }
        waiters.add(new Waiter(partition, offset, seen));
        // the reader may have moved past it meanwhile, and scanned the waiters before this one was added
        if (positions.get(partition) > offset) {
            seen.complete(null);
        }
        return seen;
    }

    /** Completes once this reader has handed over every record written to these partitions before the call. */
    public CompletableFuture<Void> caughtUp(Collection<Integer> wanted) {
        CompletableFuture<Void> seen = new CompletableFuture<>();
        catchUps.add(new CatchUp(List.copyOf(wanted), seen));
        consumer.wakeup();
        return seen;
    }

    public int partitionCount() {
        return partitions.size();
    }

    private void follow() {
        while (running) {
            try {
                serveCatchUps();
                pollOnce();
            } catch (WakeupException e) {
                // a catch-up request, or close
            } catch (RuntimeException e) {
                LOG.warn("Reading {} failed; going on: {}", topic, e.getMessage());
            }
        }
        consumer.close();
    }

    private void serveCatchUps() {
        CatchUp request;
        // taken off the queue only once served: a wakeup can interrupt endOffsets, and the request must not be lost
        while ((request = catchUps.peek()) != null) {
            List<TopicPartition> asked = request.partitions().stream()
                    .map(partition -> new TopicPartition(topic, partition)).toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(asked, readTimeout);
            CompletableFuture<?>[] all = end.entrySet().stream()
                    .map(e -> whenPast(e.getKey().partition(), e.getValue() - 1)).toArray(CompletableFuture[]::new);
            CompletableFuture<Void> seen = request.seen();
            CompletableFuture.allOf(all).whenComplete((ignored, error) -> seen.complete(null));
            catchUps.poll();
        }
    }

    private void pollOnce() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
            try {
                onRecord.accept(record);
            } catch (RuntimeException e) {
                LOG.warn("Skipped record {}-{}@{}: {}", topic, record.partition(), record.offset(), e.getMessage());
            }
        }
        for (TopicPartition partition : partitions) {
            positions.set(partition.partition(), consumer.position(partition));
        }
        waiters.removeIf(waiter -> {
            if (positions.get(waiter.partition()) > waiter.offset()) {
                waiter.seen().complete(null);
                return true;
            }
            return false;
        });
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            consumer.wakeup();
            thread.join(readTimeout.toMillis());
        } else if (consumer != null) {
            consumer.close();
        }
    }
}
