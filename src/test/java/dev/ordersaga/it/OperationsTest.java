package dev.ordersaga.it;

import static dev.ordersaga.it.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ordersaga.json.Json;
import dev.ordersaga.testsupport.CapturedLogs;

/** What an operator sees on the management port of the running application: health, metrics, and the logs. */
@ExtendWith(RunningApplication.class)
class OperationsTest {

    private final ApiClient api = RunningApplication.api();
    private final ManagementClient management = new ManagementClient(RunningApplication.managementUrl());
    private final CapturedLogs captured = new CapturedLogs("operations-test");
    private final List<LogEvent> logged = captured.events();

    @BeforeEach
    void captureLogs() {
        captured.start();
    }

    @AfterEach
    void stopCapturing() {
        captured.stop();
    }

    @Test
    void everyRouteAndEveryNodeIsNamedAsHawtioAndTheLogsShowThem() {
        List<String> unnamed = new ArrayList<>();
        for (RouteDefinition route : ((ModelCamelContext) RunningApplication.application().camelContext())
                .getRouteDefinitions()) {
            if (!route.hasCustomIdAssigned()) {
                unnamed.add("a route from " + route.getEndpointUrl());
            }
            if (!Boolean.TRUE.equals(route.isRest())) {
                // a REST verb's route is named by the verb's id; its one node is Camel's own
                collectUnnamed(route.getId(), route.getOutputs(), unnamed);
            }
        }
        assertThat(unnamed).as("nodes Hawtio would show as to3 or process7").isEmpty();
    }

    private static void collectUnnamed(String routeId, List<ProcessorDefinition<?>> nodes, List<String> unnamed) {
        for (ProcessorDefinition<?> node : nodes) {
            if (!node.hasCustomIdAssigned()) {
                unnamed.add(routeId + ": " + node.getShortName() + " " + node.getLabel());
            }
            collectUnnamed(routeId, node.getOutputs(), unnamed);
        }
    }

    @Test
    void livenessAndReadinessAreUpOnceKafkaConsumersHaveJoinedAndRoutesRun() throws Exception {
        assertThat(management.get("/observe/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = management.get("/observe/health/ready?exposureLevel=full");
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode checks = Json.MAPPER.readTree(ready.body()).get("checks");
        assertThat(checks.findValuesAsText("name")).contains("kafka", "route:order-saga-v1", "route:saga-replies",
                "consumer:saga-replies");
        for (JsonNode check : checks) {
            assertThat(check.get("status").asText()).as(check.toString()).isEqualTo("UP");
        }
    }

    @Test
    void theFlowVersionsInUseAreToldByTheApiTheMetricsAndHealth() throws Exception {
        JsonNode flows = api.get("/api/flows").body().get("flows");
        assertThat(flows).hasSize(1);
        JsonNode v1 = flows.get(0);
        assertThat(v1.get("flow").asText()).isEqualTo("order-saga");
        assertThat(v1.get("version").asInt()).isEqualTo(1);
        assertThat(v1.get("known").asBoolean()).isTrue();
        assertThat(v1.get("newest").asBoolean()).isTrue();
        assertThat(v1.get("leftUnknownHere").asLong()).isZero();
        assertThat(management.metric("ordersaga_flow_unfinished_sagas{flow=\"order-saga\",version=\"1\"}"))
                .isEqualTo(v1.get("unfinishedSagas").asDouble());
        assertThat(management.metric("ordersaga_sagas_unknown_flow")).isZero();

        JsonNode health = Json.MAPPER.readTree(management.get("/observe/health?exposureLevel=full").body());
        assertThat(health.get("checks").findValuesAsText("name")).contains("flow-versions");
        JsonNode readiness = Json.MAPPER.readTree(management.get("/observe/health/ready?exposureLevel=full").body());
        assertThat(readiness.get("checks").findValuesAsText("name")).as("not a readiness check")
                .doesNotContain("flow-versions");
    }

    @Test
    void sagaMetricsCountOutcomesAndTimeSagasAndTheirSteps() {
        double approved = management.metric("ordersaga_sagas_ended_total{outcome=\"approved\"}");
        double rejected = management.metric("ordersaga_sagas_ended_total{outcome=\"rejected\"}");
        double started = management.metric("ordersaga_sagas_started_total");
        double timedApproved = management.metric("ordersaga_saga_duration_seconds_count{outcome=\"approved\"}");
        double reservations = management.metric(
                "ordersaga_step_reply_seconds_count{command=\"reserve-inventory\",settlement=\"replied\"}");

        assertThat(api.placeOrderAndWait(order("tok_visa", "HAPPY-1:1:12.50")).body().get("status").asText())
                .isEqualTo("APPROVED");
        assertThat(api.placeOrderAndWait(order("tok_visa", "LAMP-3:1:30.00")).body().get("status").asText())
                .isEqualTo("REJECTED");

        assertThat(management.metric("ordersaga_sagas_started_total")).isEqualTo(started + 2);
        assertThat(management.metric("ordersaga_sagas_ended_total{outcome=\"approved\"}")).isEqualTo(approved + 1);
        assertThat(management.metric("ordersaga_sagas_ended_total{outcome=\"rejected\"}")).isEqualTo(rejected + 1);
        assertThat(management.metric("ordersaga_saga_duration_seconds_count{outcome=\"approved\"}"))
                .isEqualTo(timedApproved + 1);
        assertThat(management.metric(
                "ordersaga_step_reply_seconds_count{command=\"reserve-inventory\",settlement=\"replied\"}"))
                .isEqualTo(reservations + 2);
        assertThat(management.metric("ordersaga_sagas_in_flight")).isZero();
        String scrape = management.get("/observe/metrics").body();
        assertThat(scrape).contains("ordersaga_replies_dropped_total{reason=\"late\"}",
                "ordersaga_saga_duration_seconds_bucket{outcome=\"approved\",le=\"0.1\"}",
                "ordersaga_replies_awaited", "routeId=\"order-saga-v1\"", "jvm_memory_used_bytes");
        // Camel's route metrics: on the orchestrator's routes, not on the reference participants' (RouteMetrics)
        assertThat(scrape).containsPattern("camel_exchanges_total\\{[^}]*routeId=\"saga-replies\"")
                .doesNotContainPattern("camel_exchanges_total\\{[^}]*routeId=\"inventory-service\"");
    }

    @Test
    void everyLogLineAboutASagaCarriesItsOrderIdAndItsTraceIdInTheMdc() {
        String orderId = api.placeOrderAndWait(order("tok_declined", "REJECT-1:1:10.00")).body().get("orderId")
                .asText();

        List<LogEvent> aboutTheOrder = logged.stream()
                .filter(event -> event.getMessage().getFormattedMessage().contains(orderId)).toList();
        assertThat(aboutTheOrder).extracting(event -> event.getMessage().getFormattedMessage())
                .anyMatch(line -> line.startsWith("Saga " + orderId + " compensating"))
                .anyMatch(line -> line.startsWith("Order " + orderId + " rejected"));
        assertThat(aboutTheOrder).allSatisfy(event -> assertThat(
                event.getContextData().<String>getValue("order-id")).as(event.getMessage().getFormattedMessage())
                .isEqualTo(orderId));
        // one trace per order: the request's line, the saga's and its compensation route's all name the same one
        assertThat(aboutTheOrder).extracting(event -> event.getContextData().<String>getValue("trace_id"))
                .doesNotContainNull().containsOnly(aboutTheOrder.get(0).getContextData().<String>getValue("trace_id"));
    }
}
