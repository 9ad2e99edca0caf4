package dev.ordersaga.api;

import java.util.List;

/** The {@code application/problem+json} body (RFC 9457) of every 4xx and 5xx answer. */
public record ProblemDetails(String type, String title, int status, String detail, String instance,
                             List<ApiProblem.FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static ProblemDetails of(ApiProblem problem, String instance) {
        return new ProblemDetails("about:blank", problem.title(), problem.status(), problem.getMessage(), instance,
                problem.errors().isEmpty() ? null : problem.errors());
    }
}
