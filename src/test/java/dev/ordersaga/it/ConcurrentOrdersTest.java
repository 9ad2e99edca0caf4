package dev.ordersaga.it;

import static dev.ordersaga.it.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * 200 orders at once for a SKU with 20 in stock: exactly 20 are approved, stock ends at exactly 0 (never below), no
 * hold is left for a rejected order, every customer gets exactly one email of the right kind, and no saga stays in
 * the orchestrator's memory.
 */
@ExtendWith(RunningApplication.class)
class ConcurrentOrdersTest {

    private static final int ORDERS = 200;
    private static final int STOCK = 20;

    private final ApiClient api = RunningApplication.api();

    @Test
    void concurrentOrdersNeverOversell() {
        List<CompletableFuture<ApiClient.Answer>> answers = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            answers.add(api.postAsync("/api/orders", "application/json", order("tok_visa", "RACE-20:1:5.00"),
                    "wait=30"));
        }
        Map<String, String> statusById = new HashMap<>();
        for (CompletableFuture<ApiClient.Answer> answer : answers) {
            JsonNode order = answer.join().body();
            statusById.put(order.get("orderId").asText(), order.get("status").asText());
        }

        assertThat(statusById).hasSize(ORDERS);
        assertThat(statusById.values().stream().filter("APPROVED"::equals).count()).isEqualTo(STOCK);
        assertThat(statusById.values().stream().filter("REJECTED"::equals).count()).isEqualTo(ORDERS - STOCK);
        JsonNode stock = Orders.stockOf(api, "RACE-20");
        assertThat(stock.get("available").asInt()).isZero();
        assertThat(stock.get("reserved").asInt()).isEqualTo(STOCK);

        Set<String> held = new HashSet<>();
        for (JsonNode hold : api.get("/demo/payments").body()) {
            String orderId = hold.get("orderId").asText();
            if (statusById.containsKey(orderId) && hold.get("status").asText().equals("HELD")) {
                held.add(orderId);
            }
        }
        assertThat(held).hasSize(STOCK).allMatch(id -> statusById.get(id).equals("APPROVED"));

        Map<String, List<String>> emailsById = new HashMap<>();
        for (JsonNode email : api.get("/demo/emails").body()) {
            String orderId = email.get("orderId").asText();
            if (statusById.containsKey(orderId)) {
                emailsById.computeIfAbsent(orderId, id -> new ArrayList<>()).add(email.get("kind").asText());
            }
        }
        assertThat(emailsById).hasSize(ORDERS);
        emailsById.forEach((orderId, kinds) -> assertThat(kinds).containsExactly(
                statusById.get(orderId).equals("APPROVED") ? "CONFIRMATION" : "REJECTION"));

        assertThat(RunningApplication.application().sagas().runningCount()).isZero();
        assertThat(RunningApplication.application().replyCorrelator().waitingCount()).isZero();
    }
}
