package dev.ordersaga.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ordersaga.testsupport.FreePort;

/** The application in a process of its own, as in production: started with a profile and env, killed for real. */
final class AppProcess {

    // outside the demo profile the management port wants credentials
    private static final String MANAGEMENT_USERNAME = "fault-test";
    private static final String MANAGEMENT_PASSWORD = "fault-test-password";

    private final String name;
    private final String profile;
    private final Map<String, String> env;
    private final int apiPort;
    private final Path logDir;
    // replaced by each start, read by the threads that watch the process
    private volatile Process process;
    private int starts;
    private final int managementPort;

    AppProcess(String name, String profile, Map<String, String> env, int apiPort, Path logDir) {
        this.name = name;
        this.profile = profile;
        this.env = Map.copyOf(env);
        this.apiPort = apiPort;
        this.logDir = logDir;
        this.managementPort = FreePort.next();
    }

    /** The management port (health, metrics, Jolokia); the same across restarts. */
    String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + apiPort;
    }

    /** A request to the management port, with the credentials its protected paths (metrics, Jolokia) want. */
    HttpRequest.Builder managementRequest(String path) {
        String credentials = MANAGEMENT_USERNAME + ":" + MANAGEMENT_PASSWORD;
        return HttpRequest.newBuilder(URI.create(managementUrl() + path)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    String name() {
        return name;
    }

    /** Started and not exited (nor killed) since. */
    boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /** Starts the process and waits until it is ready, as Kubernetes would: its readiness probe answers 200. */
    AppProcess start(Duration timeout) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "dev.ordersaga.app.OrderSagaApplication", "--profile=" + profile));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".log").toFile()));
        builder.environment().putAll(env);
        builder.environment().put("API_PORT", Integer.toString(apiPort));
        builder.environment().put("MANAGEMENT_PORT", Integer.toString(managementPort));
        builder.environment().put("MANAGEMENT_AUTH_USERNAME", MANAGEMENT_USERNAME);
        builder.environment().put("MANAGEMENT_AUTH_PASSWORD", MANAGEMENT_PASSWORD);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        starts++;
        if (!awaitReadiness(true, timeout)) {
            throw new IllegalStateException(name + " not ready within " + timeout + "; see "
                    + logDir.resolve(name + ".log"));
        }
        return this;
    }

    /** kill -9: no shutdown hook, no flush, nothing. */
    void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM: the graceful way out. */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitForExit();
        }
    }

    /** SIGTERM without waiting for the process to exit: it drains while the caller watches (see {@link #awaitExit}). */
    void terminate() {
        if (isRunning()) {
            process.destroy();
        }
    }

    /** @return whether the process has exited within the timeout */
    boolean awaitExit(Duration timeout) {
        try {
            return process == null || process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    int starts() {
        return starts;
    }

    private void waitForExit() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Polls the readiness probe ({@code /observe/health/ready}) until it says {@code ready} (200) or not (503).
     *
     * @return whether it did within the timeout
     */
    boolean awaitReadiness(boolean ready, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited; see " + logDir.resolve(name + ".log"));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                                URI.create(managementUrl() + "/observe/health/ready"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == (ready ? 200 : 503)) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleepQuietly(Duration.ofMillis(200));
        }
        return false;
    }

    /** Sleeps for the duration; a zero or negative one returns at once. */
    static void sleepQuietly(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
