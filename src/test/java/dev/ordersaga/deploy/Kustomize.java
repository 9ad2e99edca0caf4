package dev.ordersaga.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
        ChildProcess.Result result;
        try {
            result = ChildProcess.run(command, Map.of(), List.of(), Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new AssertionError("Cannot run '" + kubectl + "': kubectl (1.27 or newer, for its built-in kustomize) "
                    + "must be on the PATH, or KUBECTL must name it, to render k8s/ (" + e.getMessage() + ")", e);
        }
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (exit " + result.exitCode() + "):\n"
                    + result.err());
        }
        return result.out();
    }
}
