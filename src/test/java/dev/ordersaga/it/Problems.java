package dev.ordersaga.it;

import static org.assertj.core.api.Assertions.assertThat;

/** What every refusal of the API is: problem details (RFC 9457) of one of the types of docs/api-problems.md. */
final class Problems {

    private static final String TYPES = "https://order-saga.dev/problems/";

    private Problems() {
    }

    /** @param type the problem type's name, the last segment of its URI: {@code invalid-order} */
    static void assertProblem(ApiClient.Answer answer, int status, String type) {
        assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body().get("type").asText()).isEqualTo(TYPES + type);
        assertThat(answer.body().get("status").asInt()).isEqualTo(status);
        assertThat(answer.body().get("title").asText()).isNotBlank();
        assertThat(answer.body().get("detail").asText()).isNotBlank();
    }
}
