package dev.ordersaga.routes;

import java.util.Arrays;
import java.util.stream.Stream;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;

import dev.ordersaga.api.ApiHeaders;
import dev.ordersaga.api.ApiParameters;
import dev.ordersaga.api.OperatorActionReceipt;
import dev.ordersaga.api.HttpServerSpans;
import dev.ordersaga.api.OrderApi;
import dev.ordersaga.api.OrderRequest;
import dev.ordersaga.api.ProblemType;
import dev.ordersaga.api.openapi.CompletedOpenApi;
import dev.ordersaga.api.openapi.RestResponses;
import dev.ordersaga.domain.OrderStatus;
import dev.ordersaga.domain.OrderView;
import dev.ordersaga.messaging.SagaMdc;
import dev.ordersaga.orders.FlowVersionsReport;
import dev.ordersaga.trace.TraceMdc;

/**
 * The order API: place an order, follow it, list recent ones. Every refusal is answered as problem+json. Each verb
 * declares every answer it can give, with its body and headers: the OpenAPI document at /api/openapi.json is made
 * from these declarations.
 */
public class OrderApiRoute extends RouteBuilder {

    private final OrderApi api;
    private final HttpServerSpans placeOrderSpans;

    /** @param placeOrderSpans the server span of each POST /api/orders: the root of its order's trace */
    public OrderApiRoute(OrderApi api, HttpServerSpans placeOrderSpans) {
        this.api = api;
        this.placeOrderSpans = placeOrderSpans;
    }

    @Override
    public void configure() {
        onException(Exception.class).id("refuse-request").handled(true)
            .process(OrderApi::writeProblem).id("write-problem");

        // A request starts with no order's ids in the logging MDC: Undertow's worker threads would otherwise log with
        // those of their previous request, were any code to leave them set. Every order request presents the API's
        // token when it requires one (the OpenAPI document stays public).
        interceptFrom("rest:*")
            .process(exchange -> {
                SagaMdc.clear();
                TraceMdc.clear();
            }).id("forget-previous-request-ids")
            .process(api::authenticate).id("authenticate-client");

        restConfiguration()
            .apiProperty("api.title", "Order Saga Orchestrator API")
            .apiProperty("api.version", "1")
            .apiProperty("api.description", "Place orders; each runs as a saga over Kafka and ends APPROVED or "
                + "REJECTED. Every refusal is application/problem+json (RFC 9457) with a type URI of its own; "
                + "docs/api-problems.md lists them.");
        // the document Camel generates from the declarations below, with what camel-openapi-java leaves out added
        getCamelContext().getRegistry().bind("openapi-document", new CompletedOpenApi());

        // declared as /api + /flows: camel-openapi-java keeps one set of responses per verb and sub-path, so a second
        // rest() with a bare get() would take those of /api/orders' list
        RestDefinition flows = rest(OrderApi.API_PATH).description("The flow versions with sagas to finish");
        flows.get(OrderApi.FLOWS_PATH.substring(OrderApi.API_PATH.length())).id("list-flows-api")
            .description("Each flow version: whether this replica knows it, whether new orders start on it, how "
                + "many of its sagas have not ended (a version with none left can be deleted)")
            .produces(OrderApi.JSON)
            .responseMessage().code(200).message("The flow versions").responseModel(FlowVersionsReport.class)
                .endResponseMessage();
        problems(flows);
        flows.to("direct:list-flows");

        RestDefinition orders = rest(OrderApi.ORDERS_PATH).description("Orders, each run as a saga");
        if (api.requiresToken()) {
            orders.securityDefinitions()
                .bearerToken(RestResponses.BEARER_SCHEME,
                    "The API token (api.auth.token): Authorization: Bearer <token>", null)
                .end();
        }

        orders.post().id("post-order")
            .description("Place an order. Prefer: wait=N waits up to N seconds for the outcome.")
            .consumes(OrderApi.JSON).produces(OrderApi.JSON)
            .type(OrderRequest.class)
            .param().name("body").type(RestParamType.body).required(true).description("The order").endParam()
            .param().name(ApiHeaders.PREFER).type(RestParamType.header).required(false)
                .description("wait=N: answer 201 with the final order if its saga ends within N seconds (at most "
                    + "{{api.max-wait-seconds}}); 202 if it has not").endParam()
            .param().name(ApiHeaders.IDEMPOTENCY_KEY).type(RestParamType.header).required(false)
                .description("1 to " + OrderApi.MAX_IDEMPOTENCY_KEY_LENGTH + " characters, remembered for "
                    + "{{api.idempotency-key.retention}} from the moment the first order with it was placed, whatever "
                    + "the number of orders meanwhile, and across restarts. Within that time the same key with the "
                    + "same body returns the order placed first and starts nothing (once the order is no longer among "
                    + "the ended orders kept, only its orderId, status, reason and createdAt), and with another body "
                    + "is refused with 422; after it, the key places a new order")
                .endParam();
        RestResponses.waited(RestResponses.order(orders, 202,
                "Accepted: the order is recorded and its saga runs (or had already been placed with this "
                    + "Idempotency-Key); follow Location. Preference-Applied when it waited and the saga had not "
                    + "ended"))
            .endResponseMessage();
        RestResponses.waited(RestResponses.order(orders, 201, "Created: the saga ended within the wait"))
            .endResponseMessage();
        problems(orders, ProblemType.MALFORMED_JSON, ProblemType.INVALID_ORDER, ProblemType.INVALID_IDEMPOTENCY_KEY,
            ProblemType.PAYLOAD_TOO_LARGE, ProblemType.UNSUPPORTED_MEDIA_TYPE, ProblemType.IDEMPOTENCY_KEY_REUSED,
            ProblemType.TOO_BUSY, ProblemType.NOT_CONFIRMED);
        orders.to("direct:place-order");

        orders.post("/{" + ApiParameters.ORDER_ID + "}/retry-compensation").id("retry-compensation-api")
            .description("Run again the compensation of a COMPENSATION_FAILED order (or the confirmation of an "
                + "approved order whose email failed every attempt). Any replica takes it: it is recorded as an "
                + "operator action, and the replica that drives the order's saga carries it out, once")
            .produces(OrderApi.JSON);
        orderIdParameter(orders);
        orders.responseMessage().code(202).message("Accepted: recorded as an operator action, for the replica that "
                + "drives the order's saga to carry out; follow Location for the outcome")
            .responseModel(OperatorActionReceipt.class)
            .header(ApiHeaders.LOCATION).dataType("string").example("/api/orders/3f1c9a2e-6d0b-4c1e-9a55-2b8e7f0d4c11")
                .description("The path of the order: GET it to see the retry's outcome").endHeader()
            .endResponseMessage();
        problems(orders, ProblemType.NOT_FOUND, ProblemType.NOTHING_TO_RETRY, ProblemType.NOT_CONFIRMED);
        orders.to("direct:retry-compensation");

        orders.get("/{" + ApiParameters.ORDER_ID + "}").id("get-order-api")
            .description("One order, with the commands of its saga")
            .produces(OrderApi.JSON);
        orderIdParameter(orders);
        orders.responseMessage().code(200).message("The order").responseModel(OrderView.class).endResponseMessage();
        problems(orders, ProblemType.NOT_FOUND);
        orders.to("direct:get-order");

        orders.get().id("list-orders-api")
            .description("Recent orders, newest first")
            .produces(OrderApi.JSON)
            .param().name(ApiParameters.STATUS).type(RestParamType.query).required(false)
                .description("Only orders of this status")
                .allowableValues(Arrays.stream(OrderStatus.values()).map(Enum::name).toList()).endParam()
            .param().name(ApiParameters.LIMIT).type(RestParamType.query).required(false).dataType("integer")
                .description("How many orders, 1 to {{api.list.max-limit}}; {{api.list.default-limit}} when absent")
                .endParam()
            .responseMessage().code(200).message("The orders, newest first").responseModel(OrderView[].class)
                .endResponseMessage();
        problems(orders, ProblemType.INVALID_QUERY);
        orders.to("direct:list-orders");


        // the saga of an accepted order is started by the replica that owns the order's partition, when it reads the
        // order (see AssignedSagas); an Idempotency-Key repeat answers with the order placed before
        from("direct:place-order").routeId("place-order").routePolicy(placeOrderSpans)
            .process(api::checkRequest).id("check-request")
            .process(api::acceptOrder).id("accept-order")
            .process(api.answerPlacedOrder()).id("answer-placed-order");

        // any replica takes a retry; the replica that owns the order carries it out (OperatorActionsRoute)
        from("direct:retry-compensation").routeId("retry-compensation")
            .process(api::checkRetryCompensation).id("check-order-needs-retry")
            .process(api::recordRetryCompensation).id("record-operator-action");

        from("direct:get-order").routeId("get-order")
            .process(api::getOrder).id("find-order");

        from("direct:list-orders").routeId("list-orders")
            .process(api::listOrders).id("find-recent-orders");

        from("direct:list-flows").routeId("list-flows")
            .process(api::listFlows).id("count-unfinished-sagas-by-flow");
    }

    /**
     * The problems the last verb answers with, besides those of every verb: a bug (500) and, when the API requires
     * its token, a request without it (401, and the verb is declared to need the bearer scheme).
     */
    private void problems(RestDefinition rest, ProblemType... types) {
        Stream<ProblemType> everyVerbs = Stream.of(ProblemType.INTERNAL_ERROR);
        if (api.requiresToken()) {
            rest.security(RestResponses.BEARER_SCHEME);
            everyVerbs = Stream.concat(everyVerbs, Stream.of(ProblemType.UNAUTHORIZED));
        }
        RestResponses.problems(rest, Stream.concat(Arrays.stream(types), everyVerbs).toArray(ProblemType[]::new));
    }

    private static void orderIdParameter(RestDefinition rest) {
        rest.param().name(ApiParameters.ORDER_ID).type(RestParamType.path).required(true)
            .description("The order's id, as in the Location of its POST").endParam();
    }
}
