package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ordersaga.app.OrderSagaApplication;
import dev.ordersaga.testsupport.FreePort;

/**
 * The kubernetes profile (what k8s/ runs) refuses to start without the settings it needs, naming each one and the
 * environment variable that sets it, before it opens or connects anything.
 */
class StartupSettingsTest {

    private final Map<String, String> complete = new HashMap<>(Map.of(
            "kafka.bootstrap.servers", "127.0.0.1:" + FreePort.next(),
            "api.auth.token", "token",
            "management.auth.username", "ops",
            "management.auth.password", "secret",
            "api.port", Integer.toString(FreePort.next()),
            "management.port", Integer.toString(FreePort.next())));

    @Test
    void withoutTheApiToken() {
        complete.remove("api.auth.token");
        assertRefused("Missing setting 'api.auth.token' (set it in config/ or as API_AUTH_TOKEN)");
    }

    @Test
    void withoutTheManagementCredentials() {
        complete.remove("management.auth.password");
        assertRefused("Missing setting 'management.auth.password' (set it in config/ or as MANAGEMENT_AUTH_PASSWORD)");
    }

    @Test
    void withoutAKafkaCluster() {
        complete.remove("kafka.bootstrap.servers");
        assertRefused("No Kafka cluster: set KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void withAnUnknownKafkaSecurityProtocol() {
        complete.put("kafka.security.protocol", "TLS");
        assertRefused("Setting 'kafka.security.protocol' (KAFKA_SECURITY_PROTOCOL) must be one of");
    }

    @Test
    void withSaslButNoLoginModule() {
        complete.put("kafka.security.protocol", "SASL_SSL");
        complete.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
        assertRefused("Missing setting 'kafka.sasl.jaas-config' (set it in config/ or as KAFKA_SASL_JAAS_CONFIG)");
    }

    @Test
    void withAMalformedSwitch() {
        complete.put("app.orchestrator.enabled", "maybe");
        assertRefused("Setting 'app.orchestrator.enabled' (APP_ORCHESTRATOR_ENABLED) must be true or false, was 'maybe'");
    }

    private void assertRefused(String message) {
        OrderSagaApplication application = OrderSagaApplication.create("kubernetes", complete);
        assertThatThrownBy(application::start).hasStackTraceContaining(message);
    }
}
