package dev.ordersaga.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization of this repository with {@code kubectl kustomize DIR}, offline, exactly as the README of
 * k8s/ tells an operator to apply it (no extra flags). Uses {@code kubectl} from the PATH, or the program named by the
 * environment variable {@code KUBECTL}. Renders each directory once per test run.
 */
public final class Kustomize {

    /** The repository root: the working directory of the Maven build. */
    public static final Path ROOT = Path.of("").toAbsolutePath();

    private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /** The rendered YAML (several documents) of {@code dir}, relative to the repository root, e.g. k8s/overlays/prod. */
    public static String render(String dir) {
        return RENDERED.computeIfAbsent(dir, Kustomize::run);
    }

    private static String run(String dir) {
        Path path = ROOT.resolve(dir);
        if (!Files.isDirectory(path)) {
            throw new AssertionError("No kustomization directory " + path);
        }
        String kubectl = System.getenv().getOrDefault("KUBECTL", "kubectl");
        List<String> command = List.of(kubectl, "kustomize", path.toString());
        Process process;
        try {
            process = new ProcessBuilder(command).directory(ROOT.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("Cannot run '" + kubectl + "': kubectl (1.27 or newer, for its built-in kustomize) "
                    + "must be on the PATH, or KUBECTL must name it, to render k8s/ (" + e.getMessage() + ")", e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while rendering " + dir, e);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n"
                    + err.join());
        }
        return out.join();
    }

    private static String read(InputStream stream) {
        try (stream) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            stream.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
