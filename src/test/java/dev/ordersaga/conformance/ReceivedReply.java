package dev.ordersaga.conformance;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** A record read from the kit's reply topic: where it was, its key and headers, and its body (null if not JSON). */
record ReceivedReply(int partition, String key, Map<String, String> headers, JsonNode body, String raw) {

    /** The correlation id the body names, or else the header's. */
    String correlationId() {
        String fromBody = text("correlationId");
        return fromBody != null ? fromBody : headers.get("correlation-id");
    }

    String text(String field) {
        JsonNode value = body == null ? null : body.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** What a repeat must give again: outcome, reason code and retryable. */
    String answer() {
        return text("outcome") + (text("reasonCode") == null ? "" : " " + text("reasonCode"))
                + ("true".equals(text("retryable")) ? " (retryable)" : "");
    }
}
