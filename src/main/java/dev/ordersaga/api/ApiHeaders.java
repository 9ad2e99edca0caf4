package dev.ordersaga.api;

/**
 * The HTTP headers of the order API, and the fixed values it answers with: named once, for the answers OrderApi
 * writes and for the OpenAPI document that describes them.
 */
public final class ApiHeaders {

    public static final String AUTHORIZATION = "Authorization";
    /** Makes a POST safe to repeat. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** {@code wait=N}: answer once the saga has ended, waiting up to N seconds (RFC 7240). */
    public static final String PREFER = "Prefer";
    public static final String PREFERENCE_APPLIED = "Preference-Applied";
    public static final String LOCATION = "Location";
    public static final String RETRY_AFTER = "Retry-After";
    public static final String WWW_AUTHENTICATE = "WWW-Authenticate";

    /** The challenge of a 401: the API wants a bearer token. */
    public static final String BEARER_CHALLENGE = "Bearer realm=\"order-api\"";
    /**
     * Seconds a client refused with 503 waits before it tries again: sagas end in milliseconds to seconds, so room
     * comes back soon, and Retry-After counts in whole seconds.
     */
    public static final int RETRY_AFTER_SECONDS = 1;

    private ApiHeaders() {
    }
}
