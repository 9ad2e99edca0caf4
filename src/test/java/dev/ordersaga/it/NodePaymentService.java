package dev.ordersaga.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * examples/payment-service-node as its own process ({@code node src/main.js}), its output echoed; started once it
 * has joined its consumer group, stopped with SIGTERM.
 */
final class NodePaymentService implements AutoCloseable {

    static final Path FOLDER = Path.of("examples", "payment-service-node");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final String READY = "ready";

    private final Process process;
    private final List<String> lines = new ArrayList<>();

    NodePaymentService(Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("node", "src/main.js").directory(FOLDER.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        process = builder.start();
        Thread reader = new Thread(this::echo, "payment-service-node-output");
        reader.setDaemon(true);
        reader.start();
        Awaitility.await("payment-service-node joined its group").atMost(READY_TIMEOUT)
                .until(() -> output().contains(READY) || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException("payment-service-node stopped at start-up:\n" + output());
        }
    }

    private void echo() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                System.out.println("[payment-service-node] " + line);
                synchronized (lines) {
                    lines.add(line);
                }
            }
        } catch (IOException ended) {
            // the process ended
        }
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** SIGTERM, as a pod is stopped; SIGKILL if it does not end in time. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
