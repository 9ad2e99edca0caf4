package dev.ordersaga.operator;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.json.Json;
import dev.ordersaga.kafka.RebalanceAwareSubscribeAdapter.PartitionListener;
import dev.ordersaga.saga.SagaOwnership;

/**
 * Reads the operator actions of the partitions this replica owns and has it carry them out, each once, in the order
 * they were taken. Ownership is not decided here: the operator-action topic has the partition count of the saga
 * topics, and this reader follows the partitions the orchestrator's consumer group gives this replica on the reply
 * topic ({@link SagaOwnership}), by {@code assign()}: a hand-over of a partition moves its actions with its sagas.
 * <ul>
 * <li>An action is carried out only once its partition is owned and recovered ({@link SagaOwnership#drives}), and
 * inside {@link SagaOwnership#whileAssigned}: an action of a partition that is being taken away is not carried out
 * here, and is left for its next owner.</li>
 * <li>Its offset is committed (to the consumer group {@code orchestrator.operator-actions.group-id}, which only keeps
 * offsets: nobody joins it) once it is carried out and what carrying it out wrote is durable (the replica's writes
 * are flushed first: a commit must not overtake the journal record that names the action), so that a restart or the
 * next owner reads on from the next one.
 * An action carried out just before a crash, its offset not yet committed, is read again: its handler finds its id in
 * what it wrote and answers {@link OperatorActionHandler.Outcome#ALREADY_DONE}.</li>
 * <li>A record that is not an action is logged and skipped; an action whose handler fails is logged and not retried
 * (the operator sees the order unchanged and asks again).</li>
 * </ul>
 * One thread of its own ({@code operator-actions}): a KafkaConsumer is not for several threads, and the partition
 * changes, told on the reply consumer's thread, are queued to it.
 */
public final class OperatorActionInbox implements PartitionListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorActionInbox.class);

    private final Map<String, Object> consumerConfig;
    private final String topic;
    private final SagaOwnership ownership;
    private final Duration pollTimeout;
    private final Duration commitTimeout;
    private final Runnable flushWrites;
    private final BlockingQueue<Change> changes = new LinkedBlockingQueue<>();
    private final Set<TopicPartition> assigned = new TreeSet<>(
            (a, b) -> Integer.compare(a.partition(), b.partition()));
    private volatile boolean running;
    private Function<OperatorAction, OperatorActionHandler.Outcome> carryOut;
    private Thread thread;

    private record Change(boolean assign, Set<Integer> partitions) {
    }

    /**
     * @param consumerConfig the cluster and its security; the group that keeps the offsets is set here
     * @param offsetsGroup   the consumer group whose committed offsets say how far the actions are carried out
     * @param flushWrites    makes durable what carrying out an action wrote (the replica's state producer)
     */
    public OperatorActionInbox(Map<String, Object> consumerConfig, String topic, String offsetsGroup,
                               SagaOwnership ownership, Duration pollTimeout, Duration commitTimeout,
                               Runnable flushWrites) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, offsetsGroup);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a partition no action was committed in yet is read from its first action
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumerConfig = config;
        this.topic = topic;
        this.ownership = ownership;
        this.pollTimeout = pollTimeout;
        this.commitTimeout = commitTimeout;
        this.flushWrites = flushWrites;
    }

    /** Starts reading, handing each action of an owned partition to {@code carryOut} (the operator-action route). */
    public synchronized void start(Function<OperatorAction, OperatorActionHandler.Outcome> carryOut) {
        this.carryOut = carryOut;
        running = true;
        thread = new Thread(this::run, "operator-actions");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void assigned(Set<Integer> partitions) {
        changes.add(new Change(true, Set.copyOf(partitions)));
    }

    @Override
    public void revoked(Set<Integer> partitions) {
        changes.add(new Change(false, Set.copyOf(partitions)));
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            boolean waiting = false;
            while (running) {
                try {
                    // with nothing to read (or an action waiting for its partition's recovery), wait for a change
                    applyChanges(consumer, assigned.isEmpty() || waiting ? pollTimeout : Duration.ZERO);
                    waiting = !assigned.isEmpty() && readOnce(consumer);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("Reading the operator actions of {} failed; again in {}: {}", topic, pollTimeout,
                            e.getMessage());
                    pause();
                }
            }
        }
    }

    /** A pause after a failed read, so that a lasting failure (Kafka away, refused) is not retried in a tight loop. */
    private void pause() {
        try {
            Thread.sleep(pollTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void applyChanges(KafkaConsumer<String, byte[]> consumer, Duration wait) throws InterruptedException {
        Change change = changes.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (change == null) {
            return;
        }
        do {
            for (int partition : change.partitions()) {
                TopicPartition topicPartition = new TopicPartition(topic, partition);
                if (change.assign()) {
                    assigned.add(topicPartition);
                } else {
                    assigned.remove(topicPartition);
                }
            }
        } while ((change = changes.poll()) != null);
        // a partition assigned (again) starts from its committed offset: where its last owner got to
        consumer.assign(List.copyOf(assigned));
    }

    /** Reads what is there; returns whether an action waits for its partition to be recovered. */
    private boolean readOnce(KafkaConsumer<String, byte[]> consumer) {
        ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
        boolean waiting = false;
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                if (!handled(record)) {
                    // read again at the next poll: once the partition is recovered, or by its next owner
                    consumer.seek(partition, record.offset());
                    waiting = true;
                    break;
                }
                commit(consumer, partition, record.offset() + 1);
            }
        }
        return waiting;
    }

    /** Carries the action out if this replica owns its order now; false if it must wait (or is not its own). */
    private boolean handled(ConsumerRecord<String, byte[]> record) {
        OperatorAction action;
        try {
            action = Json.read(record.value(), OperatorAction.class);
        } catch (RuntimeException e) {
            // also an action of a kind a newer release added: this replica cannot carry it out
            LOG.error("Skipped {}-{}@{}: not an operator action this replica knows (kinds: {}): {}", topic,
                    record.partition(), record.offset(), List.of(OperatorActionKind.values()), e.getMessage());
            return true;
        }
        if (action == null || action.actionId() == null || action.kind() == null || action.orderId() == null) {
            LOG.warn("Skipped {}-{}@{}: an operator action needs an actionId, a kind and an orderId", topic,
                    record.partition(), record.offset());
            return true;
        }
        if (!ownership.drives(action.orderId())) {
            return false;
        }
        try {
            Optional<OperatorActionHandler.Outcome> outcome = ownership.whileAssigned(action.orderId(),
                    () -> carryOut.apply(action));
            return outcome.isPresent();
        } catch (RuntimeException e) {
            LOG.error("Operator action {} ({}) on order {} failed; not carried out", action.actionId(),
                    action.kind().wireName(), action.orderId(), e);
            return true;
        }
    }

    private void commit(KafkaConsumer<String, byte[]> consumer, TopicPartition partition, long next) {
        try {
            flushWrites.run();
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(next)), commitTimeout);
        } catch (RuntimeException e) {
            // read again after a restart, it is recognised as done by its handler
            LOG.warn("Could not commit operator actions of {} up to offset {}: {}", partition, next, e.getMessage());
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(pollTimeout.multipliedBy(2).plus(commitTimeout).toMillis());
        }
    }
}
