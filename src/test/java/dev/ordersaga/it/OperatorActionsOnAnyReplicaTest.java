package dev.ordersaga.it;

import static dev.ordersaga.it.Orders.entriesOf;
import static dev.ordersaga.it.Orders.order;
import static dev.ordersaga.it.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ordersaga.app.OrderSagaApplication;

/**
 * Operator actions reach the replica that drives the order, whichever replica takes them: two orchestrator replicas
 * on one real broker (the reference participants in the first), an order driven by the second whose compensation
 * failed every attempt, and its retry asked of the first. The first checks the request against the order record,
 * records the action in the operator-action topic and answers 202; the second, which owns the order's partition,
 * reads it there and retries the compensation, once: the order ends REJECTED, the hold released.
 */
class OperatorActionsOnAnyReplicaTest {

    private static final int PARTITIONS = 4;
    private static final String OPERATOR_ACTIONS = "order-saga.operator-actions";
    private static final String OFFSETS_GROUP = "order-saga-orchestrator.operator-actions";
    /** Steps sent again until the saga's deadline (20 s), then three failed undo attempts: about 30 s. */
    private static final Duration UNTIL_COMPENSATION_FAILED = Duration.ofSeconds(60);

    private static final String CARRIED_OUT =
            "ordersaga_operator_actions_total{kind=\"retry-compensation\",outcome=\"carried_out\"}";
    private static final int FINALIZE_ATTEMPTS = 3;
    /** The saga's attempts at the confirmation all fail; the retry's second attempt gets through. */
    private static final int FLAKY_FAILURES = FINALIZE_ATTEMPTS + 1;

    private static TwoReplicas replicas;
    private static OrderSagaApplication first;
    private static OrderSagaApplication second;
    private static ApiClient firstApi;
    private static ApiClient secondApi;
    private static ManagementClient firstManagement;
    private static ManagementClient secondManagement;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        replicas = TwoReplicas.start(PARTITIONS, Map.of(
                "saga.step-timeout", "2s",
                "saga.timeout", "20s",
                "saga.finalize.first-delay", "100ms",
                "saga.finalize.max-delay", "500ms",
                "saga.finalize.max-attempts", Integer.toString(FINALIZE_ATTEMPTS),
                "participants.notification.flaky-failures", Integer.toString(FLAKY_FAILURES)));
        first = replicas.first();
        second = replicas.second();
        firstApi = replicas.firstApi();
        secondApi = replicas.secondApi();
        firstManagement = replicas.firstManagement();
        secondManagement = replicas.secondManagement();
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (replicas != null) {
            replicas.close();
        }
    }

    @Test
    void aRetryAskedOfTheReplicaThatDoesNotDriveTheOrderIsCarriedOutByTheOneThatDoes() throws Exception {
        String key = keyDrivenBy(second, "compensation-");
        CamelContext participants = first.camelContext();
        String orderId;
        participants.getRouteController().stopRoute("payment-service");
        try {
            ApiClient.Answer placed = secondApi.post("/api/orders", "application/json",
                    order("tok_visa", "BOOK-42:1:12.50"), null, key);
            assertThat(placed.status()).isEqualTo(202);
            orderId = placed.body().get("orderId").asText();
            assertThat(second.ownership().isAssigned(orderId)).isTrue();
            assertThat(first.ownership().isAssigned(orderId)).isFalse();
            await().atMost(UNTIL_COMPENSATION_FAILED).untilAsserted(() -> assertThat(
                    firstApi.get("/api/orders/" + orderId).body().get("status").asText())
                    .isEqualTo("COMPENSATION_FAILED"));
        } finally {
            participants.getRouteController().startRoute("payment-service");
        }

        ApiClient.Answer retried = firstApi.post("/api/orders/" + orderId + "/retry-compensation",
                "application/json", "", null);

        assertThat(retried.status()).as(String.valueOf(retried.body())).isEqualTo(202);
        assertThat(retried.location()).isEqualTo("/api/orders/" + orderId);
        assertThat(retried.body().get("action").asText()).isEqualTo("retry-compensation");
        assertThat(retried.body().get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(retried.body().get("orderId").asText()).isEqualTo(orderId);
        assertThat(retried.body().get("actionId").asText()).isNotBlank();
        for (ApiClient api : new ApiClient[] {firstApi, secondApi}) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    api.get("/api/orders/" + orderId).body().get("status").asText()).isEqualTo("REJECTED"));
        }
        assertThat(entriesOf(firstApi, "payments", orderId, "status")).isEqualTo("RELEASED");
        assertThat(entriesOf(firstApi, "emails", orderId, "kind")).isEqualTo("REJECTION");
        // the owner has committed past the action: a restart, or the partition's next owner, reads on after it
        int partition = second.ownership().partitionOf(orderId);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(committedOffset(partition))
                .isEqualTo(endOffset(partition)).isPositive());
        // carried out by the owner, not by the replica that took it
        assertThat(secondManagement.metric(CARRIED_OUT)).isPositive();
        assertThat(firstManagement.metric(CARRIED_OUT)).isZero();
        // settled now, on every replica
        for (ApiClient api : new ApiClient[] {firstApi, secondApi}) {
            assertProblem(api.post("/api/orders/" + orderId + "/retry-compensation", "application/json", "", null),
                    409, "nothing-to-retry");
        }
    }

    @Test
    void aConfirmationThatFailedEveryAttemptIsRetriedThroughTheReplicaThatDoesNotDriveTheOrderToo() {
        String key = keyDrivenBy(second, "confirmation-");
        // the flaky mail domain fails each email's first FLAKY_FAILURES attempts: more than the saga makes
        String orderId = secondApi.post("/api/orders", "application/json",
                Orders.orderFrom("ada@flaky.example", "tok_visa", "BOOK-42:1:12.50"), null, key).body()
                .get("orderId").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> first.orders().confirmationFailed(orderId));
        assertThat(firstApi.get("/api/orders/" + orderId).body().get("status").asText()).isEqualTo("APPROVED");
        assertThat(entriesOf(firstApi, "emails", orderId, "kind")).isEmpty();

        ApiClient.Answer retried = firstApi.post("/api/orders/" + orderId + "/retry-compensation",
                "application/json", "", null);

        assertThat(retried.status()).as(String.valueOf(retried.body())).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                entriesOf(firstApi, "emails", orderId, "kind")).isEqualTo("CONFIRMATION"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.orders().confirmationFailed(orderId)
                && !second.orders().confirmationFailed(orderId));
        assertProblem(firstApi.post("/api/orders/" + orderId + "/retry-compensation", "application/json", "", null),
                409, "nothing-to-retry");
    }

    @Test
    void everyReplicaRefusesWhatItCanTellFromTheOrderRecord() {
        String approved = secondApi.placeOrderAndWait(order("tok_visa", "BOOK-42:1:12.50")).body().get("orderId")
                .asText();
        for (ApiClient api : new ApiClient[] {firstApi, secondApi}) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    api.get("/api/orders/" + approved).body().get("sagaFinished").asBoolean()).isTrue());
            assertProblem(api.post("/api/orders/" + approved + "/retry-compensation", "application/json", "", null),
                    409, "nothing-to-retry");
            assertProblem(api.post("/api/orders/no-such-order/retry-compensation", "application/json", "", null),
                    404, "not-found");
        }
    }

    /** An Idempotency-Key lands its order in the key's partition: a key of a partition this replica drives. */
    private static String keyDrivenBy(OrderSagaApplication replica, String prefix) {
        return IntStream.range(0, 1000).mapToObj(i -> prefix + i)
                .filter(candidate -> replica.ownership().isAssigned(candidate)).findFirst().orElseThrow();
    }

    private static long committedOffset(int partition) throws Exception {
        try (Admin admin = admin()) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(OFFSETS_GROUP).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).get(new TopicPartition(OPERATOR_ACTIONS, partition));
            return committed == null ? -1 : committed.offset();
        }
    }

    private static long endOffset(int partition) throws Exception {
        try (Admin admin = admin()) {
            TopicPartition topicPartition = new TopicPartition(OPERATOR_ACTIONS, partition);
            return admin.listOffsets(Map.of(topicPartition, OffsetSpec.latest())).partitionResult(topicPartition)
                    .get(10, TimeUnit.SECONDS).offset();
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, replicas.bootstrapServers()));
    }
}
