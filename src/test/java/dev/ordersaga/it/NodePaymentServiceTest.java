package dev.ordersaga.it;

import static dev.ordersaga.it.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ordersaga.app.OrderSagaApplication;
import dev.ordersaga.conformance.ConformanceKit;
import dev.ordersaga.kafka.EmbeddedKafkaBroker;
import dev.ordersaga.testsupport.FreePort;
import dev.ordersaga.testsupport.NodeScripts;

/**
 * The Node.js payment-service of examples/ in place of the reference one: its own unit tests pass, the conformance
 * kit passes it, also across its restart, and real sagas through the orchestrator end as they must (approved, card declined, credit
 * limit), the other three participants being the reference ones.
 */
class NodePaymentServiceTest {

    private static final String PAYMENT_SERVICE = "payment-service";
    private static final long NPM_TEST_TIMEOUT_SECONDS = 60;
    private static EmbeddedKafkaBroker broker;
    private static OrderSagaApplication application;
    private static ApiClient api;

    @TempDir
    Path state;

    @BeforeAll
    static void start() throws Exception {
        new NodeScripts(NodePaymentService.FOLDER, Map.of()).installed("kafkajs");
        broker = new EmbeddedKafkaBroker(null, 0).start();
        int port = FreePort.next();
        application = OrderSagaApplication.create("demo", Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "api.port", Integer.toString(port),
                "management.port", Integer.toString(FreePort.next()),
                "participants.reference", "order-service,inventory-service,notification-service",
                "saga.step-timeout", "3s")).start();
        api = new ApiClient("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() throws Exception {
        if (application != null) {
            application.stop();
        }
        broker.close();
    }

    @Test
    void itsOwnUnitTestsPass() throws Exception {
        new NodeScripts(NodePaymentService.FOLDER, Map.of()).run(List.of("npm", "test"), NPM_TEST_TIMEOUT_SECONDS,
                "npm test in " + NodePaymentService.FOLDER);
    }

    @Test
    void conformsAlsoAcrossItsRestart() throws Exception {
        try (NodePaymentService service = node()) {
            String all = kit("all");
            assertThat(all).contains("CONFORMS").doesNotContain("FAIL ");
            assertThat(kit("before-restart")).contains("CONFORMS");
        }
        try (NodePaymentService restarted = node()) {
            assertThat(restarted.output()).containsPattern("[1-9][0-9]* answer\\(s\\) read back");
            assertThat(kit("after-restart")).contains("CONFORMS").doesNotContain("FAIL ");
        }
    }

    @Test
    void sagasRunWithItInPlaceOfTheReferencePaymentService() throws Exception {
        assertThat(application.participants().commandProcessors().keySet())
                .extracting(Object::toString).doesNotContain(PAYMENT_SERVICE);
        try (NodePaymentService service = node()) {
            JsonNode approved = api.placeOrderAndWait(order("tok_visa", "BOOK-42:2:12.50")).body();
            assertThat(approved.get("status").asText()).as(approved.toString()).isEqualTo("APPROVED");

            JsonNode declined = api.placeOrderAndWait(order("tok_declined", "BOOK-42:1:12.50")).body();
            assertThat(declined.get("status").asText()).isEqualTo("REJECTED");
            assertThat(declined.get("reasonCode").asText()).isEqualTo("payment-declined");

            JsonNode overLimit = api.placeOrderAndWait(order("tok_low", "BOOK-42:6:10.00")).body();
            assertThat(overLimit.get("status").asText()).isEqualTo("REJECTED");
            assertThat(overLimit.get("reasonCode").asText()).isEqualTo("credit-limit-exceeded");
            assertThat(failedStep(overLimit, "HoldPayment").get("detail").asText()).contains("credit limit exceeded");
        }
    }

    private static JsonNode failedStep(JsonNode order, String name) {
        for (JsonNode step : order.get("steps")) {
            if (step.get("name").asText().equals(name) && step.get("status").asText().equals("FAILED")) {
                return step;
            }
        }
        throw new AssertionError("no failed step " + name + " in " + order);
    }

    private static NodePaymentService node() throws Exception {
        return new NodePaymentService(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers()));
    }

    private String kit(String phase) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            ConformanceKit.run(out, List.of("--bootstrap", broker.bootstrapServers(), "--participant",
                    PAYMENT_SERVICE, "--phase", phase, "--state-file", state.resolve("kit.json").toString())
                    .toArray(String[]::new));
        }
        String text = output.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        return text;
    }
}
