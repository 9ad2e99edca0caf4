package dev.ordersaga.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ordersaga.json.Json;

/** A plain HTTP client for the application's API, as any client would use it. */
final class ApiClient {

    /** An answer: status, content type, Location, and the body as JSON (null if empty); all headers too. */
    record Answer(int status, String contentType, String location, JsonNode body, HttpHeaders headers) {
    }

    private final String base;
    private final Map<String, String> headers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(String base) {
        this(base, Map.of());
    }

    private ApiClient(String base, Map<String, String> headers) {
        this.base = base;
        this.headers = Map.copyOf(headers);
    }

    /** The same client, sending {@code name: value} with every request. */
    ApiClient withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new ApiClient(base, more);
    }

    Answer post(String path, String contentType, String body, String prefer) {
        return postAsync(path, contentType, body, prefer).join();
    }

    Answer post(String path, String contentType, String body, String prefer, String idempotencyKey) {
        return postAsync(path, contentType, body, prefer, idempotencyKey).join();
    }

    CompletableFuture<Answer> postAsync(String path, String contentType, String body, String prefer) {
        return postAsync(path, contentType, body, prefer, null);
    }

    CompletableFuture<Answer> postAsync(String path, String contentType, String body, String prefer,
                                        String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(ApiClient::answer);
    }

    Answer placeOrder(String json) {
        return post("/api/orders", "application/json", json, null);
    }

    Answer placeOrderAndWait(String json) {
        return post("/api/orders", "application/json", json, "wait=15");
    }

    Answer get(String path) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30)).GET();
            headers.forEach(request::header);
            return answer(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer answer(HttpResponse<String> response) {
        JsonNode body = null;
        if (!response.body().isEmpty()) {
            try {
                body = Json.MAPPER.readTree(response.body());
            } catch (IOException e) {
                throw new IllegalStateException("Not JSON (" + response.statusCode() + "): " + response.body(), e);
            }
        }
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                response.headers().firstValue("Location").orElse(null), body, response.headers());
    }
}
