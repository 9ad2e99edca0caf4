package dev.ordersaga.api;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** The {@code application/problem+json} body (RFC 9457) of every 4xx and 5xx answer. */
@Schema(name = "ProblemDetails", description = "Why a request was refused (RFC 9457); type tells which kind of "
        + "problem it is, and is what a client should act on")
public record ProblemDetails(
        @Schema(description = "The kind of problem: one of the types of docs/api-problems.md, such as "
                + ProblemType.BASE_URI + "invalid-order", format = "uri", requiredMode = Schema.RequiredMode.REQUIRED)
        URI type,
        @Schema(description = "A short summary of the kind of problem, the same for every problem of its type",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String title,
        @Schema(description = "The HTTP status of the answer", requiredMode = Schema.RequiredMode.REQUIRED)
        int status,
        @Schema(description = "What went wrong with this request, for people",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String detail,
        @Schema(description = "The path of the request")
        String instance,
        @Schema(description = "Every field that is wrong, when the request had wrong fields")
        List<ApiProblem.FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static ProblemDetails of(ApiProblem problem, String instance) {
        return new ProblemDetails(problem.type().uri(), problem.title(), problem.status(), problem.getMessage(),
                instance, problem.errors().isEmpty() ? null : problem.errors());
    }
}
