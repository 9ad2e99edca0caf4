package dev.ordersaga.testsupport;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Node.js scripts of one folder of the repository (e2e/, contracts/), run from the tests: the folder's packages,
 * pinned by its package-lock.json, are installed with {@code npm ci} when missing (.ci/run installs them beforehand),
 * and each command's output is echoed and returned.
 */
public final class NodeScripts {

    private static final long INSTALL_TIMEOUT_SECONDS = 180;
    /** How long the output reader may take to drain what a finished process wrote. */
    private static final long DRAIN_SECONDS = 10;

    private final Path folder;
    private final Map<String, String> environment;

    /** @param environment set for every command, on top of the test JVM's */
    public NodeScripts(Path folder, Map<String, String> environment) {
        this.folder = folder;
        this.environment = Map.copyOf(environment);
    }

    /** Installs the folder's locked packages unless {@code node_modules/<module>} is there already. */
    public NodeScripts installed(String module) throws Exception {
        if (!Files.isDirectory(folder.resolve("node_modules").resolve(module))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), INSTALL_TIMEOUT_SECONDS, "npm ci in " + folder);
        }
        return this;
    }

    /** How a command ended: its exit code and everything it printed. */
    public record Outcome(int exitCode, String output) {
    }

    /** Runs a command in the folder, echoing its output; fails unless it exits 0 within the time given. */
    public String run(List<String> command, long timeoutSeconds, String what) throws Exception {
        Outcome outcome = attempt(command, timeoutSeconds, what);
        if (outcome.exitCode() != 0) {
            fail(what + " failed (exit " + outcome.exitCode() + "):\n" + outcome.output());
        }
        return outcome.output();
    }

    /** Runs a command in the folder, echoing its output; fails unless it ends within the time given. */
    public Outcome attempt(List<String> command, long timeoutSeconds, String what) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("Cannot run " + command.get(0) + " (" + what + "): is Node.js 20+ installed?", e);
        }
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    System.out.println("[" + command.get(0) + "] " + line);
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "output-of-" + command.get(0));
        reader.start();
        boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        reader.join(TimeUnit.SECONDS.toMillis(DRAIN_SECONDS));
        String output;
        synchronized (lines) {
            output = String.join("\n", lines);
        }
        if (!ended) {
            fail(what + " did not end within " + timeoutSeconds + " s:\n" + output);
        }
        return new Outcome(process.exitValue(), output);
    }
}
