package dev.ordersaga.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ordersaga.app.OrderSagaApplication;
import dev.ordersaga.deploy.AppConfig;
import dev.ordersaga.deploy.Manifests;
import dev.ordersaga.json.Json;
import dev.ordersaga.kafka.EmbeddedKafkaBroker;
import dev.ordersaga.testsupport.FreePort;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The paths of k8s/ (probes, Jolokia for Hawtio Online), called on the application running with the pod's profile
 * ({@code kubernetes}: API and management credentials required) and asked what the kubelet and Hawtio ask: the probes
 * answer without credentials, Jolokia only with the management credentials. The pod's Kafka is a broker of this test
 * (and, since the profile leaves topic creation to the platform, topics.create is turned back on here).
 * KubernetesManifestsTest checks that the probes' port is management.port; the port here is a free one.
 */
class ProbePathsTest {

    private static final String USERNAME = "probe-test";
    private static final String PASSWORD = "probe-test-password";

    private static EmbeddedKafkaBroker broker;
    private static OrderSagaApplication application;
    private static String management;
    private static Container pod;
    private static Map<String, String> podAnnotations;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        Deployment deployment = Manifests.of("k8s/overlays/prod").one(Deployment.class);
        pod = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        podAnnotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();

        broker = new EmbeddedKafkaBroker(null, 0).start();
        int managementPort = FreePort.next();
        application = OrderSagaApplication.create("kubernetes", Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "topics.create", "true",
                "topics.partitions", "2",
                "api.port", Integer.toString(FreePort.next()),
                "management.port", Integer.toString(managementPort),
                "api.auth.token", "probe-test-token",
                "management.auth.username", USERNAME,
                "management.auth.password", PASSWORD)).start();
        management = "http://127.0.0.1:" + managementPort;
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (application != null) {
                application.stop();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Test
    void theProbesOfThePodAnswerUpWithoutCredentials() {
        Map<String, Probe> probes = Map.of("startup", pod.getStartupProbe(), "liveness", pod.getLivenessProbe(),
                "readiness", pod.getReadinessProbe());
        int configuredManagementPort = Integer.parseInt(AppConfig.profile("kubernetes").get("management.port"));
        probes.forEach((kind, probe) -> {
            assertThat(containerPort(probe.getHttpGet().getPort())).as(kind + " probe's port")
                    .isEqualTo(configuredManagementPort);
            String path = probe.getHttpGet().getPath();
            await(kind + " probe " + path).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> {
                        HttpResponse<String> answer = get(path, null);
                        assertThat(answer.statusCode()).as(kind + " probe " + path + ": " + answer.body())
                                .isEqualTo(200);
                        assertThat(answer.body()).contains("UP");
                    });
        });
    }

    @Test
    void jolokiaWhereHawtioOnlineLooksAnswersOnlyWithTheManagementCredentials() {
        assertThat(podAnnotations).containsEntry("hawt.io/protocol", "http");
        String path = podAnnotations.get("hawt.io/jolokiaPath");
        assertThat(path).isNotNull();
        assertThat(get(path, null).statusCode()).as("Jolokia without credentials").isEqualTo(401);
        assertThat(get(path, "someone:wrong").statusCode()).as("Jolokia with wrong credentials").isEqualTo(401);
        HttpResponse<String> version = get(path, USERNAME + ":" + PASSWORD);
        assertThat(version.statusCode()).as("Jolokia with the management credentials: " + version.body())
                .isEqualTo(200);
        JsonNode body = Json.read(version.body(), JsonNode.class);
        assertThat(body.path("value").path("agent").asText()).as("a Jolokia version answer").isNotEmpty();
    }

    private static int containerPort(IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return pod.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst().orElseThrow()
                .getContainerPort();
    }

    private HttpResponse<String> get(String path, String credentials) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(management + path))
                .timeout(Duration.ofSeconds(10)).GET();
        if (credentials != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + management + path + ": " + e, e);
        }
    }
}
