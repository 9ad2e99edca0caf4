package dev.ordersaga.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ordersaga.json.Json;

/** Plain HTTP on the management port, as a probe, Prometheus or Hawtio would use it (Basic credentials or none). */
final class ManagementClient {

    private final String base;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ManagementClient(String base) {
        this(base, null);
    }

    private ManagementClient(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    ManagementClient withCredentials(String username, String password) {
        return new ManagementClient(base, "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** A Jolokia request (POST /observe/jolokia), answered with Jolokia's JSON, whose own "status" says allowed or not. */
    JsonNode jolokia(String requestJson) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/observe/jolokia/"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestJson)));
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Jolokia answered " + response.statusCode() + ": " + response.body(), e);
        }
    }

    /** The value of one sample in the Prometheus text, e.g. {@code ordersaga_sagas_ended_total{outcome="approved"}}. */
    double metric(String sample) {
        HttpResponse<String> response = get("/observe/metrics");
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(response.body());
        return value.find() ? Double.parseDouble(value.group(1)) : 0.0;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
