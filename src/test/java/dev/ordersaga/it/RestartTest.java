package dev.ordersaga.it;

import static dev.ordersaga.it.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ordersaga.app.OrderSagaApplication;
import dev.ordersaga.kafka.CompactedTopic;
import dev.ordersaga.kafka.EmbeddedKafkaBroker;
import dev.ordersaga.saga.KafkaSagaJournal;
import dev.ordersaga.saga.SagaRecord;
import dev.ordersaga.saga.SagaRecord.SagaState;
import dev.ordersaga.testsupport.FreePort;

/**
 * What outlives a restart of the application, on a broker of its own that outlives the application: orders and
 * their views, Idempotency-Keys, and the saga journal read back from its compacted topic.
 */
class RestartTest {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaBroker(null, 0).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void ordersAndIdempotencyKeysOutliveARestart() throws Exception {
        String body = order("tok_visa", "BOOK-42:1:12.50");
        String orderId;
        OrderSagaApplication first = start();
        try {
            ApiClient api = api(first);
            ApiClient.Answer placed = api.post("/api/orders", "application/json", body, "wait=15", "restart-key-1");
            assertThat(placed.status()).isEqualTo(201);
            orderId = placed.body().get("orderId").asText();
        } finally {
            first.stop();
        }

        OrderSagaApplication second = start();
        try {
            ApiClient api = api(second);
            ApiClient.Answer fetched = api.get("/api/orders/" + orderId);
            assertThat(fetched.status()).isEqualTo(200);
            assertThat(fetched.body().get("status").asText()).isEqualTo("APPROVED");
            assertThat(fetched.body().get("steps")).hasSize(5);

            ApiClient.Answer repeat = api.post("/api/orders", "application/json", body, null, "restart-key-1");
            assertThat(repeat.body().get("orderId").asText()).isEqualTo(orderId);
            assertThat(second.orders().size()).isEqualTo(1);
            assertThat(api.post("/api/orders", "application/json", order("tok_visa", "BOOK-42:2:12.50"), null,
                    "restart-key-1").status()).isEqualTo(422);
        } finally {
            second.stop();
        }
    }

    @Test
    void theJournalReadsBackTheLatestRecordOfEachSagaAndForgetsEndedOnes() {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            String topic = "journal-replay-test";
            dev.ordersaga.kafka.TopicProvisioner.ensureTopics(Map.of("bootstrap.servers", broker.bootstrapServers()),
                    List.of(new dev.ordersaga.kafka.TopicProvisioner.TopicSpec(topic, 3, (short) 1,
                            Map.of("cleanup.policy", "compact"))), 10_000);
            KafkaSagaJournal journal = new KafkaSagaJournal(new CompactedTopic<>(producer, topic,
                    Map.of("bootstrap.servers", broker.bootstrapServers()), Duration.ofSeconds(30), SagaRecord.class));
            journal.write(record("a", SagaState.RUNNING)).join();
            journal.write(record("b", SagaState.RUNNING)).join();
            journal.write(record("a", SagaState.COMPENSATING)).join();
            journal.write(record("c", SagaState.RUNNING)).join();
            journal.forget("b").join();
            journal.write(record("c", SagaState.COMPENSATION_FAILED)).join();

            Map<String, SagaRecord> replayed = journal.read(Set.of(0, 1, 2));

            assertThat(replayed).containsOnlyKeys("a", "c");
            assertThat(replayed.get("a").state()).isEqualTo(SagaState.COMPENSATING);
            assertThat(replayed.get("c").state()).isEqualTo(SagaState.COMPENSATION_FAILED);
        }
    }

    private static SagaRecord record(String sagaId, SagaState state) {
        return new SagaRecord(sagaId, null, state, null, List.of(), Instant.now(), List.of());
    }

    private static OrderSagaApplication start() throws Exception {
        return OrderSagaApplication.create("demo", Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "api.port", Integer.toString(FreePort.next()),
                "topics.partitions", "2")).start();
    }

    private static ApiClient api(OrderSagaApplication app) {
        return new ApiClient("http://127.0.0.1:" + app.camelContext().getPropertiesComponent()
                .resolveProperty("api.port").orElseThrow());
    }

}
