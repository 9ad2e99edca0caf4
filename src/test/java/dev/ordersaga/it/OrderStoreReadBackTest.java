package dev.ordersaga.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.OrderLine;
import dev.ordersaga.domain.OrderSnapshot;
import dev.ordersaga.domain.OrderStatus;
import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.kafka.CompactedTopic;
import dev.ordersaga.kafka.EmbeddedKafkaBroker;
import dev.ordersaga.kafka.TopicProvisioner;
import dev.ordersaga.orders.KafkaOrderStore;
import dev.ordersaga.orders.OrderStore;

/**
 * Two replicas' order stores on one topic of a real broker: each reads its own writes back as the very snapshots it
 * wrote (not decoded again), and the other's as decoded from the record, equal to what was written.
 */
class OrderStoreReadBackTest {

    private static final String TOPIC = "order-store-read-back-test";

    private static EmbeddedKafkaBroker broker;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaBroker(null, 0).start();
        TopicProvisioner.ensureTopics(config(), List.of(new TopicProvisioner.TopicSpec(TOPIC, 2, (short) 1,
                Map.of("cleanup.policy", "compact"))), 10_000);
        producer = new KafkaProducer<>(config(), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopBroker() {
        producer.close();
        broker.close();
    }

    @Test
    void aReplicaReadsItsOwnWritesAsWrittenAndTheOthersAsDecoded() throws Exception {
        Changes seenByA = new Changes();
        Changes seenByB = new Changes();
        try (KafkaOrderStore a = store(seenByA); KafkaOrderStore b = store(seenByB)) {
            OrderSnapshot placed = snapshot(OrderStatus.PENDING, 1);
            a.saveAndReadBack(placed).get(30, TimeUnit.SECONDS);

            assertThat(seenByA.next()).as("A's own write, read back").isSameAs(placed);
            OrderSnapshot readByB = seenByB.next();
            assertThat(readByB).as("A's write, read by B").isEqualTo(placed).isNotSameAs(placed);

            OrderSnapshot approved = snapshot(OrderStatus.APPROVED, 2);
            b.save(approved).get(30, TimeUnit.SECONDS);

            assertThat(seenByB.next()).as("B's own write, read back").isSameAs(approved);
            OrderSnapshot readByA = seenByA.next();
            assertThat(readByA).as("B's write, read by A").isEqualTo(approved).isNotSameAs(approved);
        }
    }

    private static KafkaOrderStore store(Changes changes) {
        KafkaOrderStore store = new KafkaOrderStore(new CompactedTopic<>(producer, TOPIC, config(),
                Duration.ofSeconds(30), OrderSnapshot.class));
        store.follow(changes);
        return store;
    }

    private static Map<String, Object> config() {
        return Map.of("bootstrap.servers", broker.bootstrapServers());
    }

    private static OrderSnapshot snapshot(OrderStatus status, long revision) {
        Order order = new Order("o-read-back", "c-1", "c@example.com", "EUR",
                List.of(new OrderLine("BOOK-42", 1, new BigDecimal("12.50"))), "tok_visa", new BigDecimal("12.50"),
                Instant.parse("2026-12-07T06:00:00.123456789Z"));
        return new OrderSnapshot(order, new FlowVersion("order-saga", 1), status, null, null, List.of(),
                status != OrderStatus.PENDING, Instant.now(), "key-1", "hash-a", revision, false, null);
    }

    /** What a store told of, in order. */
    private static final class Changes implements OrderStore.OrderChanges {
        private final LinkedBlockingQueue<OrderSnapshot> saved = new LinkedBlockingQueue<>();

        @Override
        public void saved(OrderSnapshot snapshot) {
            saved.add(snapshot);
        }

        @Override
        public void forgotten(String orderId) {
        }

        OrderSnapshot next() throws InterruptedException {
            OrderSnapshot next = saved.poll(30, TimeUnit.SECONDS);
            assertThat(next).as("a snapshot read within 30 s").isNotNull();
            return next;
        }
    }
}
