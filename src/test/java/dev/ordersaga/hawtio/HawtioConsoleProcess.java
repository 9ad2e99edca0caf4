package dev.ordersaga.hawtio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * The Hawtio console as an operator runs it, for the tests: {@code java -jar} of the console's jar, the very
 * artifact the docs hand out, with the documented options, in a process of its own. Returns once Hawtio answers;
 * the process ends with {@link #close()} or with this JVM.
 */
public final class HawtioConsoleProcess implements AutoCloseable {

    /** The console's jar, assembled by the build (maven-jar-plugin, execution hawtio-console). */
    public static final Path JAR = Path.of("target", "hawtio-console", "order-saga-orchestrator-hawtio-console.jar");

    private final Process process;
    private final int port;
    private final Path log;

    private HawtioConsoleProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * {@code java -jar JAR --port PORT OPTIONS...}, its output to {@code log}, environment {@code env} on top of this
     * JVM's (e.g. JOLOKIA_PASSWORD).
     */
    public static HawtioConsoleProcess start(int port, List<String> options, Map<String, String> env, Path log,
                                             Duration startTimeout) {
        if (!Files.isRegularFile(JAR)) {
            throw new AssertionError("No console jar at " + JAR.toAbsolutePath() + ": the build assembles it in the "
                    + "phase process-test-classes (e.g. mvn -B test -Dtest=HawtioConsoleCredentialsTest)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "-Dhawtio.parent-pid=" + ProcessHandle.current().pid(), "-jar",
                JAR.toAbsolutePath().toString(), "--port", Integer.toString(port)));
        command.addAll(options);
        Process process;
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().keySet().removeIf(name -> name.startsWith("JOLOKIA_") || name.startsWith("HAWTIO_"));
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HawtioConsoleProcess console = new HawtioConsoleProcess(process, port, log);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hawtio/"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            Awaitility.await("Hawtio answering on port " + port).atMost(startTimeout)
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Hawtio's JVM ended (exit " + process.exitValue()
                                    + "), see " + log.toAbsolutePath() + ":\n" + tail(log));
                        }
                        return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    });
        } catch (RuntimeException e) {
            console.close();
            throw e;
        }
        return console;
    }

    /** The entry page: it opens the console on the application's connection. */
    public String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** Hawtio's proxy to {@code target} (http://host:port/path), as the console's pages call it. */
    public URI proxied(URI target) {
        return URI.create("http://127.0.0.1:" + port + "/hawtio/proxy/" + target.getScheme() + "/" + target.getHost()
                + "/" + target.getPort() + target.getRawPath());
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: its shutdown hook stops Tomcat
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
