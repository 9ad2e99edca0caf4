package dev.ordersaga.hawtio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.ordersaga.testsupport.FreePort;

/**
 * The console's jar started as docs/hawtio.md tells an operator (user as an option, password in JOLOKIA_PASSWORD)
 * against a Jolokia endpoint that wants HTTP Basic, as a pod's management port does: Hawtio's proxy gets through with
 * the credentials, and gives them to that endpoint only, never to another target its proxy may reach. The endpoint
 * is a stand-in that answers Jolokia's version request and records the Authorization header it got;
 * HawtioTraceBrowserTest runs the same jar against the real application in a browser.
 */
class HawtioConsoleCredentialsTest {

    private static final String USER = "ops";
    private static final String PASSWORD = "console-test-password";
    private static final String PATH = "/observe/jolokia";

    private static HttpServer jolokia;
    private static HttpServer elsewhere;
    private static final Queue<String> jolokiaSaw = new ConcurrentLinkedQueue<>();
    private static final Queue<String> elsewhereSaw = new ConcurrentLinkedQueue<>();
    private static HawtioConsoleProcess console;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws IOException {
        jolokia = basicAuthJolokia(jolokiaSaw);
        elsewhere = basicAuthJolokia(elsewhereSaw);
        console = HawtioConsoleProcess.start(FreePort.next(),
                List.of("--jolokia-url", "http://127.0.0.1:" + jolokia.getAddress().getPort() + PATH, "--user", USER),
                Map.of("JOLOKIA_PASSWORD", PASSWORD), Path.of("target", "hawtio", "hawtio-console-credentials.log"),
                Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
        jolokia.stop(0);
        elsewhere.stop(0);
    }

    @Test
    void theProxyReachesTheApplicationsJolokiaWithTheManagementCredentials() throws Exception {
        HttpResponse<String> version = get(console.proxied(URI.create("http://127.0.0.1:"
                + jolokia.getAddress().getPort() + PATH + "/version")));
        assertThat(version.statusCode()).as("through the proxy: %s", version.body()).isEqualTo(200);
        assertThat(version.body()).contains("\"agent\"");
        assertThat(jolokiaSaw).last().isEqualTo(basic(USER, PASSWORD));
    }

    @Test
    void theCredentialsGoToNoOtherTarget() throws Exception {
        HttpResponse<String> other = get(console.proxied(URI.create("http://127.0.0.1:"
                + elsewhere.getAddress().getPort() + PATH + "/version")));
        assertThat(other.statusCode()).as("another Jolokia, which the console has no credentials for").isEqualTo(401);
        assertThat(elsewhereSaw).isNotEmpty().allMatch(String::isEmpty);
    }

    @Test
    void credentialsTheBrowserSendsAreLeftAsTheyAre() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(console.proxied(URI.create("http://127.0.0.1:"
                        + jolokia.getAddress().getPort() + PATH + "/version")))
                .header("Authorization", basic("someone", "else")).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(jolokiaSaw).last().isEqualTo(basic("someone", "else"));
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Answers /observe/jolokia/version with HTTP Basic USER:PASSWORD, 401 otherwise; records what it was sent. */
    private static HttpServer basicAuthJolokia(Queue<String> saw) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(PATH, exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            saw.add(authorization == null ? "" : authorization);
            if (basic(USER, PASSWORD).equals(authorization)) {
                answer(exchange, 200, "{\"request\":{\"type\":\"version\"},\"value\":{\"agent\":\"2.1.1\"},"
                        + "\"status\":200}");
            } else {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"order-saga-management\"");
                answer(exchange, 401, "");
            }
        });
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
