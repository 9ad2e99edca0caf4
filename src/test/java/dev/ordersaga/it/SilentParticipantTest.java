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
 * A participant that does not reply. Its step is sent again, under the same correlation id, after each reply timeout
 * and pause: silent for less than the saga's deadline, it is asked again when it is back and the order is approved;
 * silent past the deadline, the saga compensates and the order ends REJECTED as not completed in time, the timeout
 * kept as the step's detail, not as the customer's reason. Back, the participant works off its backlog: repeats are
 * answered from memory, the late do is undone by the compensation, and its late replies are dropped.
 */
@ExtendWith(RunningApplication.class)
class SilentParticipantTest {

    private static final Duration PAST_THE_DEADLINE = Duration.ofSeconds(60);

    private final ApiClient api = RunningApplication.api();

    @Test
    void aParticipantSilentForLessThanTheDeadlineIsAskedAgainAndTheOrderIsApproved() throws Exception {
        CamelContext camel = RunningApplication.application().camelContext();
        String orderId;
        camel.getRouteController().stopRoute("payment-service");
        try {
            ApiClient.Answer placed = api.placeOrder(order("tok_visa", "SILENT-1:1:4.00"));
            assertThat(placed.status()).isEqualTo(202);
            orderId = placed.body().get("orderId").asText();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    attempts(api.get("/api/orders/" + orderId).body(), "HoldPayment")).contains("1:TIMED_OUT"));
        } finally {
            camel.getRouteController().startRoute("payment-service");
        }

        JsonNode order = awaitFinished(orderId);
        assertThat(order.get("status").asText()).isEqualTo("APPROVED");
        assertThat(attempts(order, "HoldPayment")).startsWith("1:TIMED_OUT").hasSize(2).last().asString().endsWith("SUCCEEDED");
        assertThat(entriesOf(api, "payments", orderId, "status")).isEqualTo("HELD");
        assertThat(entriesOf(api, "emails", orderId, "kind")).isEqualTo("CONFIRMATION");
    }

    @Test
    void aParticipantSilentPastTheDeadlineFailsItsStepThenAndTheOrderIsCompensated() throws Exception {
        CamelContext camel = RunningApplication.application().camelContext();
        long lateBefore = RunningApplication.application().replyCorrelator().droppedReplies().late();
        int stockBefore = available(api, "SILENT-1");

        String orderId;
        camel.getRouteController().stopRoute("payment-service");
        try {
            orderId = api.placeOrder(order("tok_visa", "SILENT-1:2:4.00")).body().get("orderId").asText();
            // the deadline has passed once the saga undoes the hold it never got an answer for
            await().atMost(PAST_THE_DEADLINE).untilAsserted(() -> assertThat(
                    attempts(api.get("/api/orders/" + orderId).body(), "ReleasePayment")).isNotEmpty());
        } finally {
            camel.getRouteController().startRoute("payment-service");
        }

        JsonNode order = awaitFinished(orderId);
        assertThat(order.get("status").asText()).isEqualTo("REJECTED");
        assertThat(order.get("reasonCode").asText()).isEqualTo("not-completed-in-time");
        assertThat(order.get("reason").asText()).isEqualTo("Your order could not be completed in time.");
        assertThat(attempts(order, "HoldPayment")).as("sent again until the deadline").hasSizeGreaterThan(2)
                .allMatch(attempt -> attempt.endsWith("TIMED_OUT") || attempt.endsWith("SENT"));
        assertThat(order.toString()).doesNotContain("Exception");
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
            await().atMost(PAST_THE_DEADLINE).untilAsserted(() -> assertThat(
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

    private JsonNode awaitFinished(String orderId) {
        await().atMost(PAST_THE_DEADLINE).untilAsserted(() ->
                assertThat(api.get("/api/orders/" + orderId).body().get("sagaFinished").asBoolean()).isTrue());
        return api.get("/api/orders/" + orderId).body();
    }

    /** Each attempt of the step, oldest first, as "attempt:status". */
    private static java.util.List<String> attempts(JsonNode order, String name) {
        java.util.List<String> attempts = new java.util.ArrayList<>();
        for (JsonNode step : order.get("steps")) {
            if (step.get("name").asText().equals(name)) {
                attempts.add(step.get("attempt").asInt() + ":" + step.get("status").asText());
            }
        }
        return attempts;
    }
}
