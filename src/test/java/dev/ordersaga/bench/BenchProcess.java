package dev.ordersaga.bench;

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
import java.util.concurrent.TimeUnit;

import dev.ordersaga.testsupport.FreePort;

/**
 * The application in a JVM of its own, as it runs in production: {@code OrderSagaApplication --profile=NAME} with its
 * settings in the environment, its output to {@code <logDir>/<name>.log}. Its management port serves the readiness
 * probe and the metrics the benchmark reads (without credentials: {@code MANAGEMENT_AUTH_ENABLED=false}).
 */
final class BenchProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final String profile;
    private final Map<String, String> env;
    private final List<String> javaOptions;
    private final Path log;
    private final int apiPort = FreePort.next();
    private final int managementPort = FreePort.next();
    private Process process;

    BenchProcess(String name, String profile, Map<String, String> env, List<String> javaOptions, Path logDir) {
        this.name = name;
        this.profile = profile;
        this.env = Map.copyOf(env);
        this.javaOptions = List.copyOf(javaOptions);
        this.log = logDir.resolve(name + ".log");
    }

    String name() {
        return name;
    }

    String apiUrl() {
        return "http://127.0.0.1:" + apiPort;
    }

    String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Starts the JVM; does not wait for it (see {@link #awaitReady}). */
    BenchProcess start() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "dev.ordersaga.app.OrderSagaApplication", "--profile=" + profile));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("API_PORT", Integer.toString(apiPort));
        builder.environment().put("MANAGEMENT_PORT", Integer.toString(managementPort));
        builder.environment().put("MANAGEMENT_AUTH_ENABLED", "false");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Polls the readiness probe ({@code /observe/health/ready}) until it answers 200, as Kubernetes would. */
    void awaitReady(long deadlineNanos) throws InterruptedException {
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(
                                URI.create(managementUrl() + "/observe/health/ready")).timeout(Duration.ofSeconds(5))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException(name + " not ready in time; see " + log);
            }
            Thread.sleep(250);
        }
    }

    /**
     * The sum of a metric's samples (all its label sets) in the Prometheus text of {@code /observe/metrics}, e.g.
     * {@code ordersaga_partitions_owned}; NaN if it has none.
     */
    double metric(String metricName) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl()
                + "/observe/metrics")).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(name + ": /observe/metrics answered " + response.statusCode());
        }
        double sum = Double.NaN;
        for (String line : response.body().split("\n")) {
            if (line.startsWith(metricName) && (line.length() == metricName.length()
                    || line.charAt(metricName.length()) == ' ' || line.charAt(metricName.length()) == '{')) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
                sum = Double.isNaN(sum) ? value : sum + value;
            }
        }
        return sum;
    }

    /** SIGKILL, at once (the benchmark itself is going away). */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    /** SIGTERM (the graceful way out), then SIGKILL if it has not exited within the timeout. */
    void stop(Duration timeout) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            System.err.println(name + " did not stop within " + timeout + " of SIGTERM: killed");
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
