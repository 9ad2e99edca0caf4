package dev.ordersaga.api.openapi;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.camel.model.rest.ResponseMessageDefinition;
import org.apache.camel.model.rest.RestDefinition;

import dev.ordersaga.api.ApiHeaders;
import dev.ordersaga.api.ProblemDetails;
import dev.ordersaga.api.ProblemType;
import dev.ordersaga.domain.OrderView;

/**
 * Declares, in the REST DSL, the answers of the last verb of a {@link RestDefinition} that several operations share:
 * the problems (one response per status, naming its problem types) and the {@code Location} of an order. What is
 * declared here is what the OpenAPI document shows, so each header is declared with the answers that set it.
 */
public final class RestResponses {

    /** The name of the API's bearer-token security scheme in the OpenAPI document. */
    public static final String BEARER_SCHEME = "bearer";

    private static final String STRING = "string";
    private static final String INTEGER = "integer";

    private RestResponses() {
    }

    /**
     * The problem answers of the last verb, grouped by status: a status that answers several types of problem is one
     * response, whose description names each type.
     */
    public static RestDefinition problems(RestDefinition rest, ProblemType... types) {
        Map<Integer, List<ProblemType>> byStatus = Arrays.stream(types)
                .collect(Collectors.groupingBy(ProblemType::status, TreeMap::new, Collectors.toList()));
        byStatus.forEach((status, ofStatus) -> {
            ResponseMessageDefinition response = rest.responseMessage().code(status)
                    .message(ofStatus.stream().map(type -> type.title() + " (" + type.uri() + ")")
                            .collect(Collectors.joining("; ")))
                    .contentType(ProblemDetails.MEDIA_TYPE).responseModel(ProblemDetails.class);
            if (status == ProblemType.UNAUTHORIZED.status()) {
                response.header(ApiHeaders.WWW_AUTHENTICATE).dataType(STRING).example(ApiHeaders.BEARER_CHALLENGE)
                        .description("The API wants a bearer token").endHeader();
            }
            if (ofStatus.contains(ProblemType.TOO_BUSY) || ofStatus.contains(ProblemType.NOT_CONFIRMED)) {
                response.header(ApiHeaders.RETRY_AFTER).dataType(INTEGER)
                        .description("Seconds to wait before repeating the request: "
                                + ApiHeaders.RETRY_AFTER_SECONDS).endHeader();
            }
            response.endResponseMessage();
        });
        return rest;
    }

    /** An answer with an order's view and its {@code Location}, the path that follows it. */
    public static ResponseMessageDefinition order(RestDefinition rest, int status, String message) {
        return rest.responseMessage().code(status).message(message).responseModel(OrderView.class)
                .header(ApiHeaders.LOCATION).dataType(STRING).example("/api/orders/3f1c9a2e-6d0b-4c1e-9a55-2b8e7f0d4c11")
                .description("The path of the order: GET it to follow its saga").endHeader();
    }

    /** The {@code Preference-Applied} header of an answer given after waiting as {@code Prefer: wait=N} asked. */
    public static ResponseMessageDefinition waited(ResponseMessageDefinition response) {
        return response.header(ApiHeaders.PREFERENCE_APPLIED).dataType(STRING).example("wait=10")
                .description("wait=N: the request waited up to N seconds (its Prefer: wait, capped at "
                        + "api.max-wait-seconds) for the saga to end").endHeader();
    }
}
