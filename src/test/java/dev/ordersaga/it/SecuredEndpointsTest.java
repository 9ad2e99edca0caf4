package dev.ordersaga.it;

import static dev.ordersaga.it.Orders.order;
import static dev.ordersaga.it.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ordersaga.app.OrderSagaApplication;
import dev.ordersaga.contracts.ContractValidators;
import dev.ordersaga.testsupport.FreePort;
import dev.ordersaga.testsupport.NodeScripts;

/**
 * The application as it runs outside the demo: the order API wants its bearer token, the management port wants
 * credentials for Jolokia and metrics (not for the probes), and Jolokia does only what its access policy allows.
 * Its own application and broker, since the shared one runs the open demo.
 */
class SecuredEndpointsTest {

    private static final String TOKEN = "test-api-token-1f6c";
    private static final String USER = "ops";
    private static final String PASSWORD = "test-management-password";
    private static String tracer;
    private static String context;
    private static String sagaRoute;

    private static OrderSagaApplication application;
    private static ApiClient anonymous;
    private static ManagementClient managementAnonymous;
    private static ManagementClient management;

    @BeforeAll
    static void start() throws Exception {
        int apiPort = FreePort.next();
        int managementPort = FreePort.next();
        application = OrderSagaApplication.create("demo", Map.of(
                "api.port", Integer.toString(apiPort),
                "management.port", Integer.toString(managementPort),
                "api.auth.enabled", "true",
                "api.auth.token", TOKEN,
                "management.auth.enabled", "true",
                "management.auth.username", USER,
                "management.auth.password", PASSWORD,
                "topics.partitions", "2")).start();
        anonymous = new ApiClient("http://127.0.0.1:" + apiPort);
        managementAnonymous = new ManagementClient("http://127.0.0.1:" + managementPort);
        management = managementAnonymous.withCredentials(USER, PASSWORD);
        // its MBeans (the JVM may hold another application's too, under another management name)
        String name = application.camelContext().getManagementName();
        tracer = "org.apache.camel:context=" + name + ",type=tracer,name=BacklogTracer";
        context = "org.apache.camel:context=" + name + ",type=context,name=\\\"order-saga-orchestrator\\\"";
        sagaRoute = "org.apache.camel:context=" + name + ",type=routes,name=\\\"order-saga-v1\\\"";
    }

    @AfterAll
    static void stop() throws Exception {
        application.stop();
    }

    @Test
    void theOrderApiRefusesRequestsWithoutTheTokenWithProblemDetailsAndStartsNothing() {
        ApiClient withToken = anonymous.withHeader("Authorization", "Bearer " + TOKEN);
        int ordersBefore = withToken.get("/api/orders?limit=200").body().size();
        for (ApiClient client : new ApiClient[] {anonymous, anonymous.withHeader("Authorization", "Bearer wrong"),
                anonymous.withHeader("Authorization", "Basic " + TOKEN)}) {
            ApiClient.Answer refused = client.placeOrderAndWait(order("tok_visa", "BOOK-42:1:12.50"));
            assertProblem(refused, 401, "unauthorized");
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"order-api\"");
            assertThat(refused.body().get("title").asText()).isEqualTo("Unauthorized");
            assertThat(client.get("/api/orders").status()).isEqualTo(401);
        }
        assertThat(withToken.get("/api/orders?limit=200").body()).hasSize(ordersBefore);
    }

    @Test
    void theOrderApiServesRequestsWithTheTokenAndItsOpenApiDocumentToAnyone() {
        ApiClient withToken = anonymous.withHeader("Authorization", "Bearer " + TOKEN);
        ApiClient.Answer placed = withToken.placeOrderAndWait(order("tok_visa", "BOOK-42:1:12.50"));
        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.body().get("status").asText()).isEqualTo("APPROVED");
        assertThat(withToken.get("/api/orders/" + placed.body().get("orderId").asText()).status()).isEqualTo(200);
        assertThat(anonymous.get("/api/openapi.json").status()).isEqualTo(200);
    }

    @Test
    void theOpenApiDocumentIsValidAndEveryOrderOperationNeedsTheBearerToken() throws Exception {
        JsonNode document = anonymous.get("/api/openapi.json").body();
        for (NodeScripts.Outcome check : ContractValidators.checkOpenApi(document.toString())) {
            assertThat(check.exitCode()).as(check.output()).isZero();
        }

        assertThat(document.at("/components/securitySchemes/bearer/type").asText()).isEqualTo("http");
        assertThat(document.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String what = op.getKey() + " " + path.getKey();
            JsonNode security = op.getValue().get("security");
            JsonNode refused = op.getValue().at("/responses/401");
            if (path.getKey().startsWith("/api/")) {
                assertThat(security.toString()).as(what).isEqualTo("[{\"bearer\":[]}]");
                assertThat(refused.at("/headers/WWW-Authenticate").isObject()).as(what).isTrue();
                assertThat(refused.at("/content/application~1problem+json").isObject()).as(what).isTrue();
            } else {
                // the demo views are not behind the token; every /api/ operation is
                assertThat(security).as(what).isEmpty();
                assertThat(refused.isMissingNode()).as(what).isTrue();
            }
        }));
    }

    @Test
    void probesNeedNoCredentialsButJolokiaAndMetricsDo() {
        assertThat(managementAnonymous.get("/observe/health/live").statusCode()).isEqualTo(200);
        assertThat(managementAnonymous.get("/observe/health/ready").statusCode()).isEqualTo(200);
        assertThat(managementAnonymous.get("/observe/metrics").statusCode()).isEqualTo(401);
        assertThat(managementAnonymous.get("/observe/jolokia/version").statusCode()).isEqualTo(401);
        // Hawtio also calls it without the trailing slash
        assertThat(managementAnonymous.get("/observe/jolokia").statusCode()).isEqualTo(401);
        assertThat(managementAnonymous.get("/observe/jolokia/version").headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Basic"));
        assertThat(managementAnonymous.withCredentials(USER, "wrong").get("/observe/jolokia/version").statusCode())
                .isEqualTo(401);

        assertThat(management.get("/observe/metrics").statusCode()).isEqualTo(200);
        assertThat(management.get("/observe/jolokia/version").statusCode()).isEqualTo(200);
    }

    @Test
    void jolokiaAllowsWhatHawtioNeedsReadingRoutesAndRunningTheTracer() {
        JsonNode routes = management.jolokia("{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"}");
        assertThat(routes.get("status").asInt()).isEqualTo(200);
        assertThat(routes.get("value").toString()).contains("order-saga", "reserve-inventory");

        JsonNode read = management.jolokia("{\"type\":\"read\",\"mbean\":\"org.apache.camel:type=routes,*\","
                + "\"attribute\":[\"RouteId\",\"ExchangesTotal\"]}");
        assertThat(read.get("status").asInt()).isEqualTo(200);

        JsonNode dump = management.jolokia("{\"type\":\"exec\",\"mbean\":\"" + context + "\","
                + "\"operation\":\"dumpRoutesAsXml()\"}");
        assertThat(dump.get("status").asInt()).as(dump.toString()).isEqualTo(200);
        assertThat(dump.get("value").asText()).contains("id=\"order-saga-v1\"", "id=\"reserve-inventory-v1\"");

        try {
            JsonNode on = management.jolokia("{\"type\":\"exec\",\"mbean\":\"" + tracer + "\","
                    + "\"operation\":\"setEnabled\",\"arguments\":[true]}");
            assertThat(on.get("status").asInt()).as(on.toString()).isEqualTo(200);
            anonymous.withHeader("Authorization", "Bearer " + TOKEN)
                    .placeOrderAndWait(order("tok_visa", "BOOK-42:1:12.50"));
            JsonNode traced = management.jolokia("{\"type\":\"exec\",\"mbean\":\"" + tracer + "\","
                    + "\"operation\":\"dumpAllTracedMessagesAsXml()\"}");
            assertThat(traced.get("status").asInt()).as(traced.toString()).isEqualTo(200);
            assertThat(traced.get("value").asText()).contains("order-saga", "order-id");
        } finally {
            management.jolokia("{\"type\":\"exec\",\"mbean\":\"" + tracer + "\","
                    + "\"operation\":\"setEnabled\",\"arguments\":[false]}");
        }
    }

    @Test
    void jolokiaRefusesEverythingOutsideItsPolicy() {
        String[] forbidden = {
            // run the garbage collector, stop the Camel context, stop a route, reconfigure the tracer
            "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}",
            "{\"type\":\"exec\",\"mbean\":\"" + context + "\",\"operation\":\"stop()\"}",
            "{\"type\":\"exec\",\"mbean\":\"" + sagaRoute + "\",\"operation\":\"stop()\"}",
            "{\"type\":\"write\",\"mbean\":\"" + tracer + "\",\"attribute\":\"BacklogSize\",\"value\":1000}",
            // the JVM's diagnostic commands (heap dumps, flags), even to read
            "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                    + "\"operation\":\"vmSystemProperties()\"}",
            "{\"type\":\"read\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\"}",
        };
        for (String request : forbidden) {
            JsonNode answer = management.jolokia(request);
            assertThat(answer.get("status").asInt()).as(request + " -> " + answer).isEqualTo(403);
        }
        assertThat(application.camelContext().getRouteController()
                .getRouteStatus("order-saga-v1").isStarted()).isTrue();
    }
}
