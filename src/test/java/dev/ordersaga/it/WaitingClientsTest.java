package dev.ordersaga.it;

import static dev.ordersaga.it.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ordersaga.domain.OrderStatus;

/**
 * Every request holds one of the API's HTTP workers until it is answered, a {@code Prefer: wait} request for as long
 * as its saga runs. More waiting clients than Undertow's default worker count (16 on 2 cores) must not stall every
 * other request: {@code api.worker-threads} (200) is what lets them in.
 */
@ExtendWith(RunningApplication.class)
class WaitingClientsTest {

    private static final int WAITING_CLIENTS = 24;

    private final ApiClient api = RunningApplication.api();

    @Test
    void moreClientsWaitingForTheirSagaThanUndertowsDefaultWorkersDoNotStallOtherRequests() throws Exception {
        CamelContext camel = RunningApplication.application().camelContext();
        ExecutorService clients = Executors.newFixedThreadPool(WAITING_CLIENTS);
        List<Future<ApiClient.Answer>> waiting = new ArrayList<>();
        // the payment service is silent for a moment: every saga waits at HoldPayment, every client with it
        camel.getRouteController().stopRoute("payment-service");
        try {
            for (int i = 0; i < WAITING_CLIENTS; i++) {
                waiting.add(clients.submit(() -> api.post("/api/orders", "application/json",
                        order("tok_visa", "WAIT-1:1:1.00"), "wait=10")));
            }
            // each order is placed inside its request, which then waits for the saga: all of them are held now
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingOrders() == WAITING_CLIENTS);

            ApiClient.Answer other = api.get("/api/orders?limit=1");

            assertThat(other.status()).isEqualTo(200);
            assertThat(waiting).as("answered while every waiting client still held its worker")
                    .noneMatch(Future::isDone);
        } finally {
            camel.getRouteController().startRoute("payment-service");
            clients.shutdown();
        }
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        for (Future<ApiClient.Answer> answer : waiting) {
            assertThat(answer.get().status()).isIn(201, 202);
        }
    }

    private static long waitingOrders() {
        return RunningApplication.application().orders().recent(OrderStatus.PENDING, 500).stream()
                .filter(order -> order.items().stream().anyMatch(line -> line.sku().equals("WAIT-1")))
                .count();
    }
}
