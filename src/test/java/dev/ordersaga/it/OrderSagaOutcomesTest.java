package dev.ordersaga.it;

import static dev.ordersaga.it.Orders.available;
import static dev.ordersaga.it.Orders.entriesOf;
import static dev.ordersaga.it.Orders.order;
import static dev.ordersaga.it.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Each outcome of the order saga, end to end: REST in, the saga over the real embedded Kafka broker, the reference
 * participants' state out. Every REJECTED case checks that each done step was undone.
 */
@ExtendWith(RunningApplication.class)
class OrderSagaOutcomesTest {

    private final ApiClient api = RunningApplication.api();

    @Test
    void happyPathApprovesTheOrderAndAppliesEachEffectOnce() {
        int stockBefore = available(api, "HAPPY-1");

        ApiClient.Answer placed = api.placeOrderAndWait(order("tok_visa", "HAPPY-1:2:12.50", "BOOK-42:1:12.50"));

        assertThat(placed.status()).isEqualTo(201);
        String orderId = placed.body().get("orderId").asText();
        assertThat(placed.location()).isEqualTo("/api/orders/" + orderId);
        assertThat(placed.body().get("status").asText()).isEqualTo("APPROVED");
        assertThat(placed.body().get("total").asText()).isEqualTo("37.50");
        assertThat(stepNames(placed.body())).containsExactlyInAnyOrder(
                "CreateOrder:SUCCEEDED", "ReserveInventory:SUCCEEDED", "HoldPayment:SUCCEEDED",
                "ApproveOrder:SUCCEEDED", "SendOrderConfirmation:SUCCEEDED");
        assertThat(available(api, "HAPPY-1")).isEqualTo(stockBefore - 2);
        assertThat(entriesOf(api, "payments", orderId, "status")).isEqualTo("HELD");
        assertThat(entriesOf(api, "payments", orderId, "amount")).isEqualTo("37.50");
        assertThat(entriesOf(api, "emails", orderId, "kind")).isEqualTo("CONFIRMATION");
        assertThat(entriesOf(api, "orders", orderId, "status")).isEqualTo("APPROVED");

        ApiClient.Answer fetched = api.get("/api/orders/" + orderId);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.body().get("status").asText()).isEqualTo("APPROVED");
        assertThat(fetched.body().get("createdAt").asText()).isNotBlank();
    }

    @Test
    void outOfStockReleasesThePaymentHoldAndCancelsTheOrder() {
        ApiClient.Answer placed = api.placeOrderAndWait(order("tok_visa", "LAMP-3:1:30.00"));

        JsonNode order = placed.body();
        String orderId = order.get("orderId").asText();
        assertThat(order.get("status").asText()).isEqualTo("REJECTED");
        assertRejectedFor(order, "out-of-stock", "An item of your order is out of stock.", "ReserveInventory",
                "out of stock: LAMP-3");
        assertThat(available(api, "LAMP-3")).isZero();
        assertThat(entriesOf(api, "payments", orderId, "status")).isEqualTo("RELEASED");
        assertThat(entriesOf(api, "orders", orderId, "status")).isEqualTo("CANCELLED");
        assertThat(entriesOf(api, "emails", orderId, "kind")).isEqualTo("REJECTION");
        assertThat(stepNames(order)).contains("ReleasePayment:SUCCEEDED", "ReleaseInventory:SUCCEEDED",
                "CancelOrder:SUCCEEDED", "SendOrderRejection:SUCCEEDED");
    }

    @Test
    void declinedCardReleasesTheReservedStock() {
        int stockBefore = available(api, "REJECT-1");

        JsonNode order = api.placeOrderAndWait(order("tok_declined", "REJECT-1:3:10.00")).body();

        String orderId = order.get("orderId").asText();
        assertThat(order.get("status").asText()).isEqualTo("REJECTED");
        assertRejectedFor(order, "payment-declined", "Your payment was declined.", "HoldPayment", "card declined");
        assertThat(available(api, "REJECT-1")).isEqualTo(stockBefore);
        assertThat(Orders.stockOf(api, "REJECT-1").get("reserved").asInt()).isZero();
        assertThat(entriesOf(api, "payments", orderId, "status")).isEmpty();
        assertThat(entriesOf(api, "orders", orderId, "status")).isEqualTo("CANCELLED");
        assertThat(entriesOf(api, "emails", orderId, "kind")).isEqualTo("REJECTION");
    }

    @Test
    void creditLimitExceededRejectsAndReleasesStock() {
        int stockBefore = available(api, "REJECT-1");

        JsonNode order = api.placeOrderAndWait(order("tok_low", "REJECT-1:6:10.00")).body();

        assertThat(order.get("status").asText()).isEqualTo("REJECTED");
        assertRejectedFor(order, "credit-limit-exceeded", "The order total is more than the credit left on your card.",
                "HoldPayment", "credit limit exceeded");
        assertThat(available(api, "REJECT-1")).isEqualTo(stockBefore);
        assertThat(entriesOf(api, "payments", order.get("orderId").asText(), "status")).isEmpty();
    }

    @Test
    void unknownSkuRejectsAndReleasesThePaymentHold() {
        JsonNode order = api.placeOrderAndWait(order("tok_visa", "NO-SUCH-SKU:1:1.00")).body();

        String orderId = order.get("orderId").asText();
        assertThat(order.get("status").asText()).isEqualTo("REJECTED");
        assertRejectedFor(order, "unknown-item", "An item of your order is not sold here.", "ReserveInventory",
                "unknown SKU NO-SUCH-SKU");
        assertThat(entriesOf(api, "payments", orderId, "status")).isEqualTo("RELEASED");
        assertThat(entriesOf(api, "orders", orderId, "status")).isEqualTo("CANCELLED");
    }

    @Test
    void confirmationEmailThatFailsTransientlyIsRetriedUntilDelivered() {
        JsonNode order = api.placeOrderAndWait(Orders.orderFrom("eve@flaky.example", "tok_visa", "FLAKY-1:1:2.00")).body();

        String orderId = order.get("orderId").asText();
        assertThat(order.get("status").asText()).isEqualTo("APPROVED");
        assertThat(order.get("sagaFinished").asBoolean()).isTrue();
        // the flaky relay fails the first two attempts: the third, same command sent again, delivers it, once
        assertThat(entriesOf(api, "emails", orderId, "kind")).isEqualTo("CONFIRMATION");
        assertThat(entriesOf(api, "emails", orderId, "attempts")).isEqualTo("3");
    }

    @Test
    void withoutPreferWaitThePostAnswers202AndTheOrderCanBeFollowed() {
        ApiClient.Answer placed = api.placeOrder(order("tok_visa", "HAPPY-1:1:12.50"));

        assertThat(placed.status()).isEqualTo(202);
        String orderId = placed.body().get("orderId").asText();
        assertThat(placed.location()).isEqualTo("/api/orders/" + orderId);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(api.get(placed.location()).body().get("status").asText()).isEqualTo("APPROVED"));
    }

    @Test
    void recentOrdersCanBeListedByStatus() {
        String approvedId = api.placeOrderAndWait(order("tok_visa", "HAPPY-1:1:12.50")).body().get("orderId").asText();
        String rejectedId = api.placeOrderAndWait(order("tok_declined", "HAPPY-1:1:12.50")).body().get("orderId")
                .asText();

        JsonNode approved = api.get("/api/orders?status=APPROVED&limit=200").body();
        JsonNode rejected = api.get("/api/orders?status=REJECTED&limit=200").body();
        assertThat(ids(approved)).contains(approvedId).doesNotContain(rejectedId);
        assertThat(ids(rejected)).contains(rejectedId).doesNotContain(approvedId);
        assertThat(api.get("/api/orders?limit=1").body()).hasSize(1);
    }

    @Test
    void theSameIdempotencyKeyNeverStartsASecondSaga() {
        String body = order("tok_visa", "HAPPY-1:1:12.50");
        int ordersBefore = RunningApplication.application().orders().size();

        java.util.List<java.util.concurrent.CompletableFuture<ApiClient.Answer>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(api.postAsync("/api/orders", "application/json", body, "wait=15", "same-key-1"));
        }
        java.util.Set<String> orderIds = new java.util.HashSet<>();
        answers.forEach(answer -> orderIds.add(answer.join().body().get("orderId").asText()));

        assertThat(orderIds).hasSize(1);
        assertThat(RunningApplication.application().orders().size()).isEqualTo(ordersBefore + 1);
        String orderId = orderIds.iterator().next();
        assertThat(entriesOf(api, "payments", orderId, "status")).isEqualTo("HELD");
        assertThat(entriesOf(api, "emails", orderId, "kind")).isEqualTo("CONFIRMATION");
    }

    @Test
    void theSameIdempotencyKeyWithAnotherBodyIsRefusedWith422() {
        api.placeOrderAndWait(order("tok_visa", "HAPPY-1:1:12.50"));
        api.post("/api/orders", "application/json", order("tok_visa", "HAPPY-1:1:12.50"), null, "same-key-2");

        ApiClient.Answer other = api.post("/api/orders", "application/json", order("tok_visa", "HAPPY-1:2:12.50"),
                null, "same-key-2");

        assertProblem(other, 422, "idempotency-key-reused");
    }

    @Test
    void unknownOrderIsA404Problem() {
        ApiClient.Answer answer = api.get("/api/orders/no-such-order");

        assertProblem(answer, 404, "not-found");
    }

    @Test
    void theAppServesAnOpenApiDocumentOfTheOrderApi() {
        ApiClient.Answer answer = api.get("/api/openapi.json");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("openapi").asText()).startsWith("3.");
        assertThat(answer.body().get("paths").has("/api/orders")).isTrue();
        assertThat(answer.body().get("paths").has("/api/orders/{orderId}")).isTrue();
    }

    private static java.util.List<String> stepNames(JsonNode order) {
        java.util.List<String> names = new java.util.ArrayList<>();
        order.get("steps").forEach(step -> names.add(step.get("name").asText() + ":" + step.get("status").asText()));
        return names;
    }

    private static java.util.List<String> ids(JsonNode orders) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        orders.forEach(order -> ids.add(order.get("orderId").asText()));
        return ids;
    }

    /** The customer's reason from the catalogue; the participant's own words only in the failed step's detail. */
    private static void assertRejectedFor(JsonNode order, String reasonCode, String reason, String step,
                                          String participantWords) {
        assertThat(order.get("reasonCode").asText()).isEqualTo(reasonCode);
        assertThat(order.get("reason").asText()).isEqualTo(reason);
        java.util.List<String> failed = new java.util.ArrayList<>();
        order.get("steps").forEach(s -> {
            if (s.get("name").asText().equals(step) && s.get("status").asText().equals("FAILED")) {
                failed.add(s.get("detail").asText());
            }
        });
        assertThat(failed).singleElement().asString().contains(participantWords);
    }
}
