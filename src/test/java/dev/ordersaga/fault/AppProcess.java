package dev.ordersaga.fault;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.ordersaga.testsupport.FreePort;

/** The application in a process of its own, as in production: started with a profile and env, killed for real. */
final class AppProcess {

    private final String name;
    private final String profile;
    private final Map<String, String> env;
    private final int apiPort;
    private final Path logDir;
    private Process process;
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
        // outside the demo profile the management port wants credentials
        builder.environment().put("MANAGEMENT_AUTH_USERNAME", "fault-test");
        builder.environment().put("MANAGEMENT_AUTH_PASSWORD", "fault-test-password");
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

    static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
