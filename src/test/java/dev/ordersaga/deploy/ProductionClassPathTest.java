package dev.ordersaga.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The application on the production class path (the test class path without the embedded broker's jars, as the
 * image has it): asked for the embedded broker, it stops at once and says why, rather than failing on a missing class.
 */
class ProductionClassPathTest {

    @Test
    void withoutTheBrokersJarsBrokerEmbeddedStopsTheStartWithAClearMessage() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !ContainerImageTest.BROKER_JAR.matcher(Path.of(entry).getFileName().toString())
                        .matches())
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).doesNotContain("kafka_2.13").contains("kafka-clients");

        ChildProcess.Result run = ChildProcess.run(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                "dev.ordersaga.app.OrderSagaApplication", "--profile=demo"),
                Map.of("BROKER_EMBEDDED", "true"), List.of("KAFKA_BOOTSTRAP_SERVERS"), Duration.ofSeconds(60));

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out() + run.err()).contains("broker.embedded=true, but this build carries no embedded broker")
                .doesNotContain("NoClassDefFoundError");
    }
}
