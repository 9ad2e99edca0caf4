package dev.ordersaga.api;

import java.net.URI;
import java.util.Locale;

/**
 * Every kind of problem the order API answers with, each with the stable {@code type} URI of RFC 9457 that a client
 * can act on (the title is for people and the detail for this one occurrence). docs/api-problems.md describes each.
 */
public enum ProblemType {

    MALFORMED_JSON(400, "Malformed JSON"),
    INVALID_ORDER(400, "Invalid order"),
    INVALID_QUERY(400, "Invalid query"),
    INVALID_IDEMPOTENCY_KEY(400, "Invalid Idempotency-Key"),
    UNAUTHORIZED(401, "Unauthorized"),
    NOT_FOUND(404, "Order not found"),
    NOTHING_TO_RETRY(409, "Nothing to retry"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency-Key reused"),
    INTERNAL_ERROR(500, "Internal error"),
    TOO_BUSY(503, "Too busy"),
    NOT_CONFIRMED(503, "Not confirmed");

    /** Where the problem types live; a type URI is this followed by the type's name in kebab case. */
    public static final String BASE_URI = "https://order-saga.dev/problems/";

    private final int status;
    private final String title;
    private final URI uri;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
        this.uri = URI.create(BASE_URI + name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /** The HTTP status every problem of this type is answered with. */
    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public URI uri() {
        return uri;
    }
}
