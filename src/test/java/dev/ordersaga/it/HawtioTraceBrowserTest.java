package dev.ordersaga.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import dev.ordersaga.testsupport.NodeScripts;

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
    private static final NodeScripts E2E = new NodeScripts(Paths.get("e2e"), Map.of());
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
        E2E.installed("playwright-core");
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

        String output = E2E.run(List.of("node", "hawtio-trace.mjs",
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
}
