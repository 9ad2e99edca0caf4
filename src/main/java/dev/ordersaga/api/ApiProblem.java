package dev.ordersaga.api;

import java.util.List;

/** A request the API refuses, with the RFC 9457 problem details it answers with. */
public class ApiProblem extends RuntimeException {

    /** One thing wrong with the request: where ({@code items[2].quantity}) and what. */
    public record FieldError(String field, String message) {
    }

    private final int status;
    private final String title;
    private final List<FieldError> errors;

    public ApiProblem(int status, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public ApiProblem(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
