package dev.ordersaga.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The application's two log layouts, as a JVM configures them from config/: the readable one of the demo
 * (log4j2.properties, found on the class path) and the JSON one of production, selected exactly as the pod of k8s/
 * selects it (its LOG4J_CONFIGURATION_FILE). {@link LogSample} logs the same events in a JVM of its own for each.
 */
class LogLayoutsTest {

    /** ISO 8601 with milliseconds and the zone's offset: 2026-12-02T07:31:34.123Z, ...+01:00 */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theReadableLayoutWritesTheDateTheZoneAndTheSagasIds() throws Exception {
        List<String> lines = logSample(Map.of());
        assertThat(lines).as("the three events at INFO or above, one line each (the stack trace follows the second)")
                .filteredOn(line -> line.contains(LogSample.LOGGER.substring(LogSample.LOGGER.lastIndexOf('.') + 1)))
                .hasSize(3);
        String first = lines.get(0);
        OffsetDateTime.parse(first.substring(0, first.indexOf(' ')), TIMESTAMP); // fails unless date, time and zone
        assertThat(first).contains(" INFO ", " order=" + LogSample.ORDER_ID,
                " correlation=" + LogSample.CORRELATION_ID, " trace=" + LogSample.TRACE_ID);
        assertThat(lines).noneMatch(line -> line.contains("Kafka chatter"));
        assertThat(lines).anyMatch(line -> line.contains(" no saga here") && !line.contains("order="));
    }

    @Test
    void theJsonLayoutWritesOneObjectPerLineWithTheSagasIdsAsFields() throws Exception {
        String selection = podEnv("LOG4J_CONFIGURATION_FILE");
        for (String file : selection.split(",")) {
            assertThat(AppConfig.CONFIG.resolve(file.trim())).as("%s, in config/ and so in the ConfigMap", file)
                    .isRegularFile();
        }
        List<String> lines = logSample(Map.of("LOG4J_CONFIGURATION_FILE", selection));

        assertThat(lines).as("one line per event at INFO or above, the stack trace inside its line").hasSize(3);
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.isObject()).as("a JSON object: %s", line).isTrue();
            OffsetDateTime.parse(event.path("timestamp").asText(), TIMESTAMP);
            assertThat(event.path("logger").asText()).isEqualTo(LogSample.LOGGER);
            events.add(event);
        }
        JsonNode compensating = events.get(0);
        assertThat(compensating.path("level").asText()).isEqualTo("INFO");
        assertThat(compensating.path("message").asText())
                .isEqualTo("Saga " + LogSample.ORDER_ID + " compensating: \"hold-payment\" failed");
        assertThat(compensating.path("order-id").asText()).isEqualTo(LogSample.ORDER_ID);
        assertThat(compensating.path("correlation-id").asText()).isEqualTo(LogSample.CORRELATION_ID);
        assertThat(compensating.path("trace_id").asText()).isEqualTo(LogSample.TRACE_ID);

        JsonNode failed = events.get(1);
        assertThat(failed.path("level").asText()).isEqualTo("WARN");
        assertThat(failed.path("error.type").asText()).isEqualTo(IllegalStateException.class.getName());
        assertThat(failed.path("error.message").asText()).isEqualTo("card declined");
        assertThat(failed.path("error.stack_trace").asText()).contains("at " + LogSample.class.getName() + ".main");
        assertThat(failed.path("order-id").asText()).isEqualTo(LogSample.ORDER_ID);

        JsonNode outsideASaga = events.get(2);
        assertThat(outsideASaga.path("message").asText()).isEqualTo("no saga here");
        assertThat(outsideASaga.has("order-id") || outsideASaga.has("correlation-id") || outsideASaga.has("trace_id"))
                .as("no saga ids where the MDC has none: %s", outsideASaga).isFalse();
    }

    private static String podEnv(String name) {
        String value = KubernetesManifestsTest.Pod.of("prod").env().get(name);
        if (value == null) {
            throw new AssertionError("The pod sets no " + name);
        }
        return value;
    }

    /** Runs {@link LogSample} in a JVM with this class path and the given environment; returns what it wrote. */
    private static List<String> logSample(Map<String, String> env) throws IOException {
        ChildProcess.Result result = ChildProcess.run(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), LogSample.class.getName()),
                env, List.of("LOG4J_CONFIGURATION_FILE", "JAVA_TOOL_OPTIONS"), Duration.ofSeconds(60));
        assertThat(result.exitCode()).as("LogSample's exit; its stderr:%n%s", result.err()).isZero();
        return result.out().lines().toList();
    }
}
