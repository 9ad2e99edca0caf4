package dev.ordersaga.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.health.HealthCheck;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ordersaga.observe.KafkaReadinessCheck;
import dev.ordersaga.testsupport.FreePort;

/** The readiness check against the real broker of the running application, and against no broker at all. */
@ExtendWith(RunningApplication.class)
class KafkaReadinessCheckTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final String orchestratorGroup = resolve("{{orchestrator.group-id}}");
    private final String orchestratorMember = resolve("{{orchestrator.instance-id}}");

    @Test
    void upWhenTheClusterAnswersAndTheOrchestratorHasJoinedItsGroup() {
        try (Admin admin = admin(RunningApplication.application().bootstrapServers())) {
            HealthCheck.Result result = new KafkaReadinessCheck(admin, Map.of(orchestratorGroup, orchestratorMember),
                    TIMEOUT).call();
            assertThat(result.getState()).isEqualTo(HealthCheck.State.UP);
            assertThat(result.getDetails()).containsEntry("brokers", 1);
        }
    }

    @Test
    void downWhileAConsumerOfThisProcessHasNotJoinedItsGroup() {
        try (Admin admin = admin(RunningApplication.application().bootstrapServers())) {
            HealthCheck.Result result = new KafkaReadinessCheck(admin, Map.of(orchestratorGroup, "not-started-yet"),
                    TIMEOUT).call();
            assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(result.getMessage()).hasValue(
                    "consumer not-started-yet has not joined group " + orchestratorGroup + " yet");
        }
    }

    @Test
    void downWhenTheClusterCannotBeReached() {
        try (Admin admin = admin("127.0.0.1:" + FreePort.next())) {
            HealthCheck.Result result = new KafkaReadinessCheck(admin, Map.of(orchestratorGroup, orchestratorMember),
                    TIMEOUT).call();
            assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(result.getMessage()).hasValueSatisfying(message -> assertThat(message)
                    .matches("Kafka (did not answer within 2000 ms|is not reachable: .*)"));
        }
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of("bootstrap.servers", bootstrapServers, "request.timeout.ms", 1000,
                "default.api.timeout.ms", 1500));
    }

    private static String resolve(String placeholder) {
        return RunningApplication.application().camelContext().resolvePropertyPlaceholders(placeholder);
    }
}
