package dev.ordersaga.api;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** A request the API refuses, with the RFC 9457 problem details it answers with. */
public class ApiProblem extends RuntimeException {

    /** One thing wrong with the request: where ({@code items[2].quantity}) and what. */
    @Schema(name = "FieldError", description = "One thing wrong with the request")
    public record FieldError(
            @Schema(description = "The field, as a path into the request: customerEmail, items[2].quantity, limit",
                    requiredMode = Schema.RequiredMode.REQUIRED) String field,
            @Schema(description = "What is wrong with it", requiredMode = Schema.RequiredMode.REQUIRED)
            String message) {
    }

    private final ProblemType type;
    private final List<FieldError> errors;

    public ApiProblem(ProblemType type, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = List.copyOf(errors);
    }

    public ApiProblem(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public ProblemType type() {
        return type;
    }

    public int status() {
        return type.status();
    }

    public String title() {
        return type.title();
    }

    public List<FieldError> errors() {
        return errors;
    }
}
