package dev.ordersaga.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ordersaga.json.Json;

/** The clients of an audit: they place orders as careful real clients do, and read orders and the /demo views. */
final class OrderClient {

    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(5);
    private static final Duration PAUSE_AFTER_A_FAILED_ROUND = Duration.ofMillis(200);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * Places one order with its Idempotency-Key until some API accepts it (201 or 202), and returns its order id. It
     * asks {@code apis[first]}, and after a failure (no answer, or a refusal such as 503) the next one, round the
     * list, pausing after each round in which none accepted. Sending the same key again is what makes the retry safe:
     * an order accepted before its answer was lost is answered again, not placed twice.
     */
    String placeUntilAccepted(List<AppProcess> apis, int first, String key, String body) {
        long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        int attempt = 0;
        while (System.nanoTime() < deadline) {
            AppProcess api = apis.get((first + attempt) % apis.size());
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create(api.baseUrl() + "/api/orders"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json").header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202 || response.statusCode() == 201) {
                    return Json.MAPPER.readTree(response.body()).get("orderId").asText();
                }
            } catch (IOException e) {
                // that process is down: try again, with the same key
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            attempt++;
            if (attempt % apis.size() == 0) {
                AppProcess.sleepQuietly(PAUSE_AFTER_A_FAILED_ROUND);
            }
        }
        throw new IllegalStateException("order " + key + " was never accepted");
    }

    /** GET of a JSON resource: the document, or null when the answer is not 200. */
    JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? Json.MAPPER.readTree(response.body()) : null;
    }

    /** The status of an order as one API answers it: its status, "404" when unknown there, "503" and so on. */
    String status(AppProcess api, String orderId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(api.baseUrl() + "/api/orders/" + orderId))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200
                ? Json.MAPPER.readTree(response.body()).get("status").asText()
                : Integer.toString(response.statusCode());
    }
}
