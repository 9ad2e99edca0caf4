package dev.ordersaga.it;

import static dev.ordersaga.it.Orders.order;
import static dev.ordersaga.it.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Bad input gets a clear 4xx as application/problem+json that names what is wrong, and nothing is started: no order
 * is tracked and no saga runs.
 */
@ExtendWith(RunningApplication.class)
class OrderValidationTest {

    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    private final ApiClient api = RunningApplication.api();

    static Stream<Arguments> invalidOrders() {
        String good = order("tok_visa", "BOOK-42:1:12.50");
        return Stream.of(
                Arguments.of("empty body", "", null),
                Arguments.of("not an object", "[1,2]", null),
                Arguments.of("missing customerId", good.replace("\"customerId\":\"cust-1\",", ""), "customerId"),
                Arguments.of("empty customerId", good.replace("\"cust-1\"", "\"  \""), "customerId"),
                Arguments.of("bad email", good.replace("ada@example.com", "not-an-email"), "customerEmail"),
                Arguments.of("missing payment", good.replace(",\"payment\":{\"cardToken\":\"tok_visa\"}", ""),
                        "payment"),
                Arguments.of("empty card token", good.replace("tok_visa", ""), "payment.cardToken"),
                Arguments.of("currency of four letters", good.replace("\"EUR\"", "\"EURO\""), "currency"),
                Arguments.of("lower-case currency", good.replace("\"EUR\"", "\"eur\""), "currency"),
                Arguments.of("unknown currency", good.replace("\"EUR\"", "\"XQQ\""), "currency"),
                Arguments.of("no items", good.replaceAll("\\[.*]", "[]"), "items"),
                Arguments.of("zero quantity", order("tok_visa", "BOOK-42:0:12.50"), "items[0].quantity"),
                Arguments.of("negative quantity", order("tok_visa", "BOOK-42:-2:12.50"), "items[0].quantity"),
                Arguments.of("fractional quantity", order("tok_visa", "BOOK-42:1.5:12.50"), "items[0].quantity"),
                Arguments.of("price as a number", good.replace("\"12.50\"", "12.50"), "items[0].unitPrice"),
                Arguments.of("negative price", order("tok_visa", "BOOK-42:1:-1.00"), "items[0].unitPrice"),
                Arguments.of("zero price", order("tok_visa", "BOOK-42:1:0.00"), "items[0].unitPrice"),
                Arguments.of("too many decimals", order("tok_visa", "BOOK-42:1:12.505"), "items[0].unitPrice"),
                Arguments.of("not money", order("tok_visa", "BOOK-42:1:twelve"), "items[0].unitPrice"),
                Arguments.of("empty sku", order("tok_visa", ":1:12.50"), "items[0].sku"),
                Arguments.of("too many items", order("tok_visa", manyItems(51)), "items"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidOrders")
    void invalidOrderIsRefusedWith400AndStartsNothing(String why, String body, String field) {
        int ordersBefore = RunningApplication.application().orders().size();

        ApiClient.Answer answer = api.placeOrder(body);

        assertProblem(answer, 400, "invalid-order");
        if (field != null) {
            List<String> fields = new ArrayList<>();
            answer.body().get("errors").forEach(error -> fields.add(error.get("field").asText()));
            assertThat(fields).as(why).contains(field);
        }
        assertThat(RunningApplication.application().orders().size()).isEqualTo(ordersBefore);
    }

    @Test
    void malformedJsonIsRefusedWith400AndStartsNothing() {
        int ordersBefore = RunningApplication.application().orders().size();

        assertProblem(api.placeOrder("{\"customerId\": \"c-1\","), 400, "malformed-json");
        assertThat(RunningApplication.application().orders().size()).isEqualTo(ordersBefore);
    }

    @Test
    void everyInvalidFieldIsReportedAtOnce() {
        String body = "{\"customerId\":\"\",\"customerEmail\":\"x\",\"currency\":\"EURO\","
                + "\"items\":[{\"sku\":\"\",\"quantity\":0,\"unitPrice\":12.5}],\"payment\":{}}";

        JsonNode problem = api.placeOrder(body).body();

        assertThat(problem.get("errors")).hasSize(7);
    }

    @Test
    void oversizedBodyIsRefusedWith413() {
        String huge = order("tok_visa", "BOOK-42:1:12.50").replace("cust-1", "x".repeat(70_000));

        assertProblem(api.placeOrder(huge), 413, "payload-too-large");
    }

    @Test
    void bodyThatIsNotJsonIsRefusedWith415() {
        assertProblem(api.post("/api/orders", "text/plain", order("tok_visa", "BOOK-42:1:12.50"), null), 415,
                "unsupported-media-type");
        assertProblem(api.post("/api/orders", null, order("tok_visa", "BOOK-42:1:12.50"), null), 415,
                "unsupported-media-type");
    }

    @Test
    void badListQueriesAreRefusedWith400() {
        assertProblem(api.get("/api/orders?status=LOST"), 400, "invalid-query");
        assertProblem(api.get("/api/orders?limit=0"), 400, "invalid-query");
        assertProblem(api.get("/api/orders?limit=many"), 400, "invalid-query");
    }

    @Test
    void anIdempotencyKeyTooLongIsRefusedWith400AndStartsNothing() {
        int ordersBefore = RunningApplication.application().orders().size();

        ApiClient.Answer answer = api.post("/api/orders", "application/json", order("tok_visa", "BOOK-42:1:12.50"),
                null, "k".repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1));

        assertProblem(answer, 400, "invalid-idempotency-key");
        assertThat(answer.body().get("errors").get(0).get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(RunningApplication.application().orders().size()).isEqualTo(ordersBefore);
    }

    private static String[] manyItems(int count) {
        String[] items = new String[count];
        for (int i = 0; i < count; i++) {
            items[i] = "BOOK-42:1:12.50";
        }
        return items;
    }
}
