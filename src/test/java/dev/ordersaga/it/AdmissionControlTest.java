package dev.ordersaga.it;

import static dev.ordersaga.it.Orders.order;
import static dev.ordersaga.it.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ordersaga.app.OrderSagaApplication;
import dev.ordersaga.testsupport.FreePort;

/**
 * Past {@code api.max-sagas-in-flight} unfinished orders a new order is refused with 503 and Retry-After, and nothing
 * is started; a repeat of an order already placed is still answered; once sagas end, orders are taken again. Its own
 * application (a cap of 2), with the payment service silent so that sagas stay in flight until their step times out.
 */
class AdmissionControlTest {

    private static OrderSagaApplication application;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        int port = FreePort.next();
        application = OrderSagaApplication.create("demo", Map.of(
                "api.port", Integer.toString(port),
                "management.port", Integer.toString(FreePort.next()),
                "api.max-sagas-in-flight", "2",
                "saga.step-timeout", "3s",
                "topics.partitions", "2")).start();
        api = new ApiClient("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() throws Exception {
        application.stop();
    }

    @Test
    void overloadIsRefusedWithRetryAfterAndNothingStarts() throws Exception {
        application.camelContext().getRouteController().stopRoute("payment-service");
        try {
            String first = api.post("/api/orders", "application/json", order("tok_visa", "BOOK-42:1:12.50"), null,
                    "key-1").body().get("orderId").asText();
            assertThat(api.placeOrder(order("tok_visa", "BOOK-42:1:12.50")).status()).isEqualTo(202);
            int placed = api.get("/api/orders?limit=200").body().size();

            ApiClient.Answer refused = api.placeOrder(order("tok_visa", "BOOK-42:1:12.50"));
            assertProblem(refused, 503, "too-busy");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.body().get("title").asText()).isEqualTo("Too busy");
            assertThat(api.get("/api/orders?limit=200").body()).hasSize(placed);

            ApiClient.Answer repeat = api.post("/api/orders", "application/json", order("tok_visa", "BOOK-42:1:12.50"),
                    null, "key-1");
            assertThat(repeat.status()).isEqualTo(202);
            assertThat(repeat.body().get("orderId").asText()).isEqualTo(first);
        } finally {
            application.camelContext().getRouteController().startRoute("payment-service");
        }

        // the held sagas time out and are compensated; then there is room again
        await().atMost(Duration.ofSeconds(30)).until(() -> application.orders().inFlight() == 0);
        assertThat(api.placeOrderAndWait(order("tok_visa", "BOOK-42:1:12.50")).body().get("status").asText())
                .isEqualTo("APPROVED");
    }
}
