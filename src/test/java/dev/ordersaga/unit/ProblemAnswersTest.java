package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ordersaga.api.ApiProblem;
import dev.ordersaga.api.OrderApi;
import dev.ordersaga.api.ProblemType;
import dev.ordersaga.json.Json;

/**
 * How every kind of problem is answered, also those the integration tests cannot provoke cheaply (an unconfirmed
 * order, a request to the wrong replica, a bug): its status, its own type URI and title, and its headers.
 */
class ProblemAnswersTest {

    private static final String PROBLEMS = "https://order-saga.dev/problems/";

    @ParameterizedTest
    @EnumSource(ProblemType.class)
    void everyProblemIsAnsweredWithItsStatusTypeAndTitle(ProblemType type) {
        Exchange answer = answer(new ApiProblem(type, "what went wrong"));

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(type.status());
        assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/problem+json");
        JsonNode body = Json.read(answer.getMessage().getBody(byte[].class), JsonNode.class);
        assertThat(body.get("type").asText()).startsWith(PROBLEMS).isEqualTo(type.uri().toString());
        assertThat(body.get("title").asText()).isEqualTo(type.title());
        assertThat(body.get("status").asInt()).isEqualTo(type.status());
        assertThat(body.get("detail").asText()).isEqualTo("what went wrong");
        assertThat(body.get("instance").asText()).isEqualTo("/api/orders");
        assertThat(answer.getMessage().getHeader("Retry-After")).isEqualTo(type.status() == 503 ? "1" : null);
        assertThat(answer.getMessage().getHeader("WWW-Authenticate"))
                .isEqualTo(type.status() == 401 ? "Bearer realm=\"order-api\"" : null);
    }

    @Test
    void theTypeUrisAreTheContractsNames() {
        assertThat(ProblemType.NOT_CONFIRMED.uri()).hasToString(PROBLEMS + "not-confirmed");
        assertThat(ProblemType.NOTHING_TO_RETRY.uri()).hasToString(PROBLEMS + "nothing-to-retry");
        assertThat(ProblemType.INVALID_IDEMPOTENCY_KEY.uri()).hasToString(PROBLEMS + "invalid-idempotency-key");
    }

    @Test
    void aFailureThatIsNoProblemOfTheRequestIsAnInternalErrorThatTellsNothingInternal() {
        Exchange answer = answer(new IllegalStateException("connection pool of db-7 exhausted"));

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        JsonNode body = Json.read(answer.getMessage().getBody(byte[].class), JsonNode.class);
        assertThat(body.get("type").asText()).isEqualTo(PROBLEMS + "internal-error");
        assertThat(body.toString()).doesNotContain("db-7");
    }

    private static Exchange answer(Exception caught) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.HTTP_URI, "/api/orders");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, caught);
        OrderApi.writeProblem(exchange);
        return exchange;
    }
}
