package dev.ordersaga.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ordersaga.kafka.EmbeddedKafkaBroker;
import dev.ordersaga.kafka.TopicProvisioner;
import dev.ordersaga.operator.OperatorAction;
import dev.ordersaga.operator.OperatorActionHandler.Outcome;
import dev.ordersaga.operator.OperatorActionInbox;
import dev.ordersaga.operator.OperatorActionKind;
import dev.ordersaga.operator.OperatorActionLog;
import dev.ordersaga.saga.SagaOwnership;

/**
 * The reader of the operator actions on a real broker: it carries out an action only on the replica that owns its
 * order's partition, once that partition is recovered; it commits past each action, so that a restart does not hand
 * it over again; and an action of a partition taken away is left for the partition's next owner.
 */
class OperatorActionInboxTest {

    private static final String TOPIC = "inbox-test.operator-actions";
    private static final int PARTITIONS = 2;
    private static final String OFFSETS_GROUP = "inbox-test.operator-actions-offsets";
    /** How long an action that must not be carried out is watched for. */
    private static final Duration NOT_CARRIED_OUT = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(100);

    private static EmbeddedKafkaBroker broker;
    private static KafkaProducer<String, byte[]> producer;
    private static OperatorActionLog log;

    private final SagaOwnership ownership = new SagaOwnership(PARTITIONS);
    private final List<String> carriedOut = new CopyOnWriteArrayList<>();
    private OperatorActionInbox inbox;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaBroker(null, 0).start();
        TopicProvisioner.ensureTopics(Map.of("bootstrap.servers", broker.bootstrapServers()),
                List.of(new TopicProvisioner.TopicSpec(TOPIC, PARTITIONS, (short) 1, Map.of())), 30_000);
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer());
        log = new OperatorActionLog(producer, TOPIC);
    }

    @AfterAll
    static void stopBroker() {
        if (producer != null) {
            producer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void closeInbox() throws InterruptedException {
        if (inbox != null) {
            inbox.close();
        }
    }

    @Test
    void anActionIsCarriedOutOnceByTheOwnerOfItsPartitionOnceRecoveredAndNotAgainAfterARestart() throws Exception {
        String orderId = orderIn(0);
        inbox = startedInbox();
        OperatorAction first = record(orderId);

        // not this replica's partition: left alone
        await().during(NOT_CARRIED_OUT).atMost(NOT_CARRIED_OUT.multipliedBy(2)).until(carriedOut::isEmpty);
        // assigned, its sagas being recovered: still waits
        ownership.assign(List.of(0));
        inbox.assigned(Set.of(0));
        await().during(NOT_CARRIED_OUT).atMost(NOT_CARRIED_OUT.multipliedBy(2)).until(carriedOut::isEmpty);
        // recovered: carried out, once
        ownership.recovered(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> carriedOut.equals(List.of(first.actionId())));

        // a restart of the replica reads on after the committed offset: the action is not handed over again
        inbox.close();
        inbox = startedInbox();
        inbox.assigned(Set.of(0));
        OperatorAction second = record(orderId);
        await().atMost(Duration.ofSeconds(10)).until(() -> carriedOut.contains(second.actionId()));
        assertThat(carriedOut).containsExactly(first.actionId(), second.actionId());
    }

    @Test
    void anActionOfAPartitionTakenAwayIsLeftForItsNextOwner() throws Exception {
        String orderId = orderIn(1);
        ownership.assign(List.of(1));
        ownership.recovered(1);
        inbox = startedInbox();
        inbox.assigned(Set.of(1));
        OperatorAction before = record(orderId);
        await().atMost(Duration.ofSeconds(10)).until(() -> carriedOut.contains(before.actionId()));

        // handed over: an action taken now is not carried out here
        ownership.revoke(List.of(1));
        inbox.revoked(Set.of(1));
        OperatorAction after = record(orderId);
        await().during(NOT_CARRIED_OUT).atMost(NOT_CARRIED_OUT.multipliedBy(2))
                .until(() -> !carriedOut.contains(after.actionId()));

        // the next owner (another replica, the same offsets group) starts where this one got to
        SagaOwnership nextOwnersOwnership = new SagaOwnership(PARTITIONS);
        nextOwnersOwnership.assign(List.of(1));
        nextOwnersOwnership.recovered(1);
        List<String> carriedOutByNext = new CopyOnWriteArrayList<>();
        try (OperatorActionInbox next = new OperatorActionInbox(Map.of("bootstrap.servers", broker.bootstrapServers()),
                TOPIC, OFFSETS_GROUP, nextOwnersOwnership, POLL, Duration.ofSeconds(5), () -> { })) {
            next.start(action -> {
                carriedOutByNext.add(action.actionId());
                return Outcome.CARRIED_OUT;
            });
            next.assigned(Set.of(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> carriedOutByNext.contains(after.actionId()));
            assertThat(carriedOutByNext).containsExactly(after.actionId());
        }
        assertThat(carriedOut).containsExactly(before.actionId());
    }

    private OperatorActionInbox startedInbox() {
        OperatorActionInbox started = new OperatorActionInbox(Map.of("bootstrap.servers", broker.bootstrapServers()),
                TOPIC, OFFSETS_GROUP, ownership, POLL, Duration.ofSeconds(5), () -> { });
        started.start(action -> {
            carriedOut.add(action.actionId());
            return Outcome.CARRIED_OUT;
        });
        return started;
    }

    private static OperatorAction record(String orderId) throws Exception {
        OperatorAction action = OperatorAction.requested(OperatorActionKind.RETRY_COMPENSATION, orderId,
                Instant.now(), "test");
        log.record(action).get();
        return action;
    }

    /** An order id of a test of its own (each test has its partition), in the given partition. */
    private String orderIn(int partition) {
        return IntStream.range(0, 10_000).mapToObj(i -> "inbox-order-" + System.nanoTime() + "-" + i)
                .filter(id -> ownership.partitionOf(id) == partition).findFirst().orElseThrow();
    }
}
