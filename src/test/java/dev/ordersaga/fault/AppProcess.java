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

    AppProcess(String name, String profile, Map<String, String> env, int apiPort, Path logDir) {
        this.name = name;
        this.profile = profile;
        this.env = Map.copyOf(env);
        this.apiPort = apiPort;
        this.logDir = logDir;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + apiPort;
    }

    /** Starts the process and waits until {@code readyPath} answers 200. */
    AppProcess start(String readyPath, Duration timeout) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "dev.ordersaga.app.OrderSagaApplication", "--profile=" + profile));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".log").toFile()));
        builder.environment().putAll(env);
        builder.environment().put("API_PORT", Integer.toString(apiPort));
        builder.environment().put("MANAGEMENT_PORT", Integer.toString(FreePort.next()));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        starts++;
        awaitReady(readyPath, timeout);
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

    private void awaitReady(String path, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; see " + logDir.resolve(name + ".log"));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleepQuietly(Duration.ofMillis(200));
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see "
                + logDir.resolve(name + ".log") + File.separator);
    }

    static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
