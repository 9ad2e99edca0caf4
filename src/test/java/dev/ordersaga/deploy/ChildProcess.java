package dev.ordersaga.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A command run to its end from the repository root, its output and its errors read whole (both at once, so that
 * neither pipe fills up): kubectl kustomize, a JVM of the tests'.
 */
public final class ChildProcess {

    /** How it ended and what it wrote. */
    public record Result(int exitCode, String out, String err) {
    }

    private ChildProcess() {
    }

    /**
     * Runs {@code command} with this process's environment, less the variables named in {@code unset}, plus
     * {@code env}; fails if it cannot start or does not end within {@code timeout}.
     */
    public static Result run(List<String> command, Map<String, String> env, List<String> unset, Duration timeout)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(Kustomize.ROOT.toFile());
        builder.environment().keySet().removeAll(unset);
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within " + timeout);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while running " + command.get(0), e);
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
