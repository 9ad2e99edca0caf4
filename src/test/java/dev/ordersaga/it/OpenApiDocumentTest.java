package dev.ordersaga.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ordersaga.contracts.ContractValidators;
import dev.ordersaga.testsupport.NodeScripts;

/**
 * The OpenAPI document the running application serves, as other teams read it: valid for swagger-parser and clean
 * for redocly's lint, and complete: every status each order operation answers with, its headers, and the schemas of
 * orders and of problems. (The secured application's document: SecuredEndpointsTest.)
 */
@ExtendWith(RunningApplication.class)
class OpenApiDocumentTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String JSON = "application/json";
    private static final String ORDERS = "/api/orders";
    private static final String ORDER = "/api/orders/{orderId}";
    private static final String RETRY = "/api/orders/{orderId}/retry-compensation";

    private final ApiClient api = RunningApplication.api();

    @Test
    void theServedDocumentPassesSwaggerParserAndRedoclyLint() throws Exception {
        for (NodeScripts.Outcome check : ContractValidators.checkOpenApi(document().toString())) {
            assertThat(check.exitCode()).as(check.output()).isZero();
        }
    }

    @Test
    void theValidatorsRefuseWhatCamelGivesAnOperationThatDeclaresNoResponse() throws Exception {
        ObjectNode broken = document().deepCopy();
        ((ObjectNode) broken.at("/paths/~1api~1orders/get/responses")).removeAll().putObject("default");

        for (NodeScripts.Outcome check : ContractValidators.checkOpenApi(broken.toString())) {
            assertThat(check.exitCode()).as(check.output()).isNotZero();
        }
    }

    @Test
    void everyOrderOperationDeclaresEveryStatusItAnswersWith() {
        JsonNode paths = document().get("paths");

        assertThat(statuses(paths.at(pointer(ORDERS, "post")))).containsExactlyInAnyOrder(
                "201", "202", "400", "413", "415", "422", "500", "503");
        assertThat(statuses(paths.at(pointer(RETRY, "post")))).containsExactlyInAnyOrder(
                "202", "404", "409", "500", "503");
        assertThat(statuses(paths.at(pointer(ORDER, "get")))).containsExactlyInAnyOrder("200", "404", "500");
        assertThat(statuses(paths.at(pointer(ORDERS, "get")))).containsExactlyInAnyOrder("200", "400", "500");
    }

    @Test
    void everyAnswerHasTheBodyAndTheHeadersItIsSentWith() {
        JsonNode paths = document().get("paths");
        for (String path : List.of(ORDERS, ORDER, RETRY)) {
            paths.get(path).fields().forEachRemaining(operation -> operation.getValue().get("responses").fields()
                    .forEachRemaining(response -> {
                        int status = Integer.parseInt(response.getKey());
                        String what = operation.getKey() + " " + path + " " + status;
                        JsonNode content = response.getValue().get("content");
                        assertThat(content.size()).as(what).isOne();
                        assertThat(content.fieldNames().next()).as(what).isEqualTo(status >= 400 ? PROBLEM : JSON);
                        assertThat(response.getValue().path("headers").has("Retry-After")).as(what)
                                .isEqualTo(status == 503);
                    }));
        }
        JsonNode placed = paths.at(pointer(ORDERS, "post") + "/responses");
        for (String status : List.of("201", "202")) {
            assertThat(placed.at("/" + status + "/headers").fieldNames()).toIterable()
                    .containsExactlyInAnyOrder("Location", "Preference-Applied");
            assertThat(schemaOf(placed.get(status), JSON)).isEqualTo("#/components/schemas/OrderView");
        }
        assertThat(paths.at(pointer(RETRY, "post") + "/responses/202/headers").has("Location")).isTrue();
        assertThat(schemaOf(paths.at(pointer(RETRY, "post") + "/responses/202"), JSON))
                .isEqualTo("#/components/schemas/OperatorActionReceipt");
        assertThat(paths.at(pointer(ORDERS, "get") + "/responses/200/content/" + jsonPointer(JSON)
                + "/schema/items/$ref").asText()).isEqualTo("#/components/schemas/OrderView");
        assertThat(schemaOf(placed.get("400"), PROBLEM)).isEqualTo("#/components/schemas/ProblemDetails");
        assertThat(paths.at(pointer(ORDERS, "post") + "/requestBody/content/" + jsonPointer(JSON) + "/schema/$ref")
                .asText()).isEqualTo("#/components/schemas/OrderRequest");
    }

    @Test
    void theSchemasDescribeTheJsonAsTheApiWritesIt() {
        JsonNode schemas = document().at("/components/schemas");

        assertThat(schemas.at("/OrderView/properties/total/type").asText()).as("money as decimal strings")
                .isEqualTo("string");
        assertThat(schemas.at("/OrderLine/properties/unitPrice/type").asText()).isEqualTo("string");
        assertThat(schemas.at("/OrderView/properties/createdAt/format").asText()).isEqualTo("date-time");
        assertThat(schemas.at("/OrderView/properties/status/enum").toString())
                .isEqualTo("[\"PENDING\",\"APPROVED\",\"REJECTED\",\"COMPENSATION_FAILED\"]");
        assertThat(schemas.at("/OrderRequest/required").toString())
                .isEqualTo("[\"currency\",\"customerEmail\",\"customerId\",\"items\",\"payment\"]");
        assertThat(schemas.at("/ProblemDetails/properties/type/format").asText()).isEqualTo("uri");
        assertThat(schemas.at("/ProblemDetails/properties/errors/items/$ref").asText())
                .isEqualTo("#/components/schemas/FieldError");
    }

    @Test
    void theIdempotencyKeySaysHowLongItIsRemembered() {
        String description = null;
        for (JsonNode parameter : document().get("paths").at(pointer(ORDERS, "post") + "/parameters")) {
            if (parameter.path("name").asText().equals("Idempotency-Key")) {
                description = parameter.path("description").asText();
            }
        }
        assertThat(description).as("the Idempotency-Key header of POST /api/orders")
                .contains("remembered for 24h from the moment the first order with it was placed")
                .contains("across restarts").contains("422");
    }

    @Test
    void theServerIsWhereTheDocumentCameFromNotTheAddressTheApiListensOn() {
        // the application listens on 0.0.0.0 (api.host), which is no address a client can call
        assertThat(document().at("/servers/0/url").asText()).isEqualTo("/");
    }

    @Test
    void theDocumentedExampleOfAnOrderIsAnOrderTheApiAccepts() {
        JsonNode example = document().at("/components/schemas/OrderRequest/example");

        ApiClient.Answer placed = api.placeOrder(example.toString());

        assertThat(placed.status()).as(placed.body().toString()).isEqualTo(202);
    }

    @Test
    void withoutItsTokenTheApiDeclaresNoSecurityAndEveryOperationSaysItNeedsNone() {
        JsonNode document = document();

        assertThat(document.at("/components/securitySchemes").isMissingNode()).isTrue();
        List<String> secured = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!op.getValue().get("security").isEmpty()) {
                secured.add(op.getKey() + " " + path.getKey());
            }
            assertThat(op.getValue().get("responses").has("401")).as(path.getKey()).isFalse();
        }));
        assertThat(secured).isEmpty();
    }

    private JsonNode document() {
        ApiClient.Answer answer = api.get("/api/openapi.json");
        assertThat(answer.status()).isEqualTo(200);
        return answer.body();
    }

    private static List<String> statuses(JsonNode operation) {
        List<String> statuses = new ArrayList<>();
        operation.get("responses").fieldNames().forEachRemaining(statuses::add);
        return statuses;
    }

    private static String schemaOf(JsonNode response, String mediaType) {
        return response.at("/content/" + jsonPointer(mediaType) + "/schema/$ref").asText();
    }

    /** The JSON pointer of an operation: {@code /~1api~1orders/post}. */
    private static String pointer(String path, String method) {
        return "/" + jsonPointer(path) + "/" + method;
    }

    private static String jsonPointer(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }
}
