package dev.ordersaga.it;

import static dev.ordersaga.it.Orders.available;
import static dev.ordersaga.it.Orders.entriesOf;
import static dev.ordersaga.it.Orders.order;
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

    private static String step(JsonNode order, String name) {
        for (JsonNode step : order.get("steps")) {
            if (step.get("name").asText().equals(name)) {
                return step.get("status").asText();
            }
        }
        return "";
    }
}
