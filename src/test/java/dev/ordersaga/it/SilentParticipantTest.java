package dev.ordersaga.it;

import static dev.ordersaga.it.Orders.available;
import static dev.ordersaga.it.Orders.entriesOf;
import static dev.ordersaga.it.Orders.order;
import static dev.ordersaga.it.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A participant that never replies: its step times out, the saga compensates, and the order ends REJECTED with a
 * reason naming the step. When the participant comes back, it works off its backlog: the late do is applied and then
 * undone by the compensation, and its late reply is dropped by the orchestrator.
 */
@ExtendWith(RunningApplication.class)
class SilentParticipantTest {

    private final ApiClient api = RunningApplication.api();

    @Test
    void silentPaymentServiceTimesOutAndTheOrderIsCompensated() throws Exception {
        CamelContext camel = RunningApplication.application().camelContext();
        long lateBefore = RunningApplication.application().replyCorrelator().droppedReplies().late();
        int stockBefore = available(api, "SILENT-1");

        String orderId;
        camel.getRouteController().stopRoute("payment-service");
        try {
            ApiClient.Answer placed = api.placeOrder(order("tok_visa", "SILENT-1:2:4.00"));
            assertThat(placed.status()).isEqualTo(202);
            orderId = placed.body().get("orderId").asText();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(step(api.get("/api/orders/" + orderId).body(), "HoldPayment")).isEqualTo("TIMED_OUT"));
        } finally {
            camel.getRouteController().startRoute("payment-service");
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.get("/api/orders/" + orderId).body().get("sagaFinished").asBoolean()).isTrue());
        JsonNode order = api.get("/api/orders/" + orderId).body();
        assertThat(order.get("status").asText()).isEqualTo("REJECTED");
        assertThat(order.get("reason").asText()).startsWith("hold-payment timed out: no reply within 2000 ms");
        assertThat(available(api, "SILENT-1")).isEqualTo(stockBefore);
        assertThat(entriesOf(api, "payments", orderId, "status")).isEqualTo("RELEASED");
        assertThat(entriesOf(api, "orders", orderId, "status")).isEqualTo("CANCELLED");
        assertThat(entriesOf(api, "emails", orderId, "kind")).isEqualTo("REJECTION");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                RunningApplication.application().replyCorrelator().droppedReplies().late()).isGreaterThan(lateBefore));
    }

    @Test
    void aCompensationThatFailsEveryAttemptIsKeptAsCompensationFailedAndCanBeRetried() throws Exception {
        CamelContext camel = RunningApplication.application().camelContext();
        String orderId;
        camel.getRouteController().stopRoute("payment-service");
        try {
            orderId = api.placeOrder(order("tok_visa", "SILENT-1:1:4.00")).body().get("orderId").asText();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    api.get("/api/orders/" + orderId).body().get("status").asText()).isEqualTo("COMPENSATION_FAILED"));
            assertThat(api.get("/api/orders?status=COMPENSATION_FAILED&limit=200").body().toString()).contains(orderId);
        } finally {
            camel.getRouteController().startRoute("payment-service");
        }

        ApiClient.Answer retried = api.post("/api/orders/" + orderId + "/retry-compensation", "application/json", "",
                null);

        assertThat(retried.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                api.get("/api/orders/" + orderId).body().get("status").asText()).isEqualTo("REJECTED"));
        assertThat(entriesOf(api, "payments", orderId, "status")).isEqualTo("RELEASED");
        assertThat(entriesOf(api, "emails", orderId, "kind")).isEqualTo("REJECTION");
        assertProblem(api.post("/api/orders/" + orderId + "/retry-compensation", "application/json", "", null), 409,
                "nothing-to-retry");
    }

    @Test
    void onlyACompensationFailedOrderCanBeRetried() {
        assertProblem(api.post("/api/orders/no-such-order/retry-compensation", "application/json", "", null), 404,
                "not-found");
    }

    private static String step(JsonNode order, String name) {
        for (JsonNode step : order.get("steps")) {
            if (step.get("name").asText().equals(name)) {
                return step.get("status").asText();
            }
        }
        return "";
    }
}
