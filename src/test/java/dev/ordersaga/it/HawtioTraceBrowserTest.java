package dev.ordersaga.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ordersaga.hawtio.HawtioConsoleProcess;
import dev.ordersaga.testsupport.FreePort;

/**
 * Hawtio against the running application, in a real browser: the console's jar, run as docs/hawtio.md tells an
 * operator to run it ({@link HawtioConsoleProcess}: {@code java -jar ... --jolokia-url ...}), reaching the
 * application's Jolokia on the management port through Hawtio's proxy; Debian's
 * chromium driven by playwright-core ({@code e2e/hawtio-trace.mjs}) lists the Camel routes, opens the saga route's
 * diagram, starts tracing it, places an order, and finds the order's id in the headers of its traced messages. The
 * screenshots stay in {@code target/hawtio/}; the Jolokia requests Hawtio sent, in {@code target/hawtio/jolokia-calls.json}.
 * The script fails if the application's Jolokia (its access policy) refused any of them.
 */
@ExtendWith(RunningApplication.class)
class HawtioTraceBrowserTest {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path E2E = Paths.get("e2e");
    private static final Path OUT = Paths.get("target", "hawtio");
    private static final Path SCREENSHOT = OUT.resolve("hawtio-trace.png");
    private static final Pattern ORDER = Pattern.compile("^ORDER (\\S+) (\\S+)$", Pattern.MULTILINE);

    private HawtioConsoleProcess hawtio;
    private String jolokia;

    @BeforeEach
    void startHawtio() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("No browser at " + CHROMIUM + ": install Debian's chromium: apt-get install -y chromium; .ci/run does");
        }
        if (!Files.isDirectory(E2E.resolve("node_modules").resolve("playwright-core"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), 180, "npm ci in e2e/");
        }
        Files.deleteIfExists(SCREENSHOT);
        jolokia = RunningApplication.managementUrl() + "/observe/jolokia";
        hawtio = HawtioConsoleProcess.start(FreePort.next(), List.of("--jolokia-url", jolokia), Map.of(),
                OUT.resolve("hawtio-console.log"), Duration.ofSeconds(60));
    }

    @AfterEach
    void stopHawtio() throws Exception {
        if (hawtio != null) {
            hawtio.close();
        }
        // whatever happened in the browser, leave the application's tracer off
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName tracer = new ObjectName(
                "org.apache.camel:context=order-saga-orchestrator,type=tracer,name=BacklogTracer");
        if (server.isRegistered(tracer)) {
            server.invoke(tracer, "setEnabled", new Object[] {false}, new String[] {"boolean"});
        }
    }

    @Test
    void hawtioTracesTheSagaOfAnOrder() throws Exception {
        String apiUrl = "http://127.0.0.1:" + RunningApplication.application().camelContext()
                .resolvePropertyPlaceholders("{{api.port}}");

        String output = run(List.of("node", "hawtio-trace.mjs",
                "--hawtio", hawtio.url(),
                "--jolokia", jolokia,
                "--api", apiUrl,
                "--route", "order-saga-v1", "--group", "order-saga v1",
                "--screenshot", SCREENSHOT.toAbsolutePath().toString(),
                "--calls", OUT.resolve("jolokia-calls.json").toAbsolutePath().toString(),
                "--timeout", "150"), 180, "the browser test e2e/hawtio-trace.mjs");

        Matcher order = ORDER.matcher(output);
        assertThat(order.find()).as("the script placed an order and named it:%n%s", output).isTrue();
        String orderId = order.group(1);
        assertThat(output).as("the order's traced messages were seen in Hawtio")
                .containsPattern("TRACED \\d+ message\\(s\\) of route order-saga-v1; .* has header order-id = "
                        + Pattern.quote(orderId));
        assertThat(RunningApplication.api().get("/api/orders/" + orderId).body().get("status").asText())
                .isEqualTo("APPROVED");
        assertThat(SCREENSHOT).as("screenshot of the traced saga").isRegularFile();
        assertThat(Files.size(SCREENSHOT)).as("size of %s", SCREENSHOT).isPositive();
    }

    /** Runs a command in e2e/, echoing its output; fails unless it exits 0 within the time given. */
    private static String run(List<String> command, long timeoutSeconds, String what) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(E2E.toFile()).redirectErrorStream(true).start();
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
        reader.join(TimeUnit.SECONDS.toMillis(10));
        String output;
        synchronized (lines) {
            output = String.join("\n", lines);
        }
        if (!ended) {
            fail(what + " did not end within " + timeoutSeconds + " s:\n" + output);
        }
        if (process.exitValue() != 0) {
            fail(what + " failed (exit " + process.exitValue() + "):\n" + output);
        }
        return output;
    }
}
