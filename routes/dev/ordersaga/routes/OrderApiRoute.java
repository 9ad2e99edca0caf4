package dev.ordersaga.routes;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;

import dev.ordersaga.api.OrderApi;
import dev.ordersaga.messaging.SagaMdc;

/** The order API: place an order, follow it, list recent ones. Every refusal is answered as problem+json. */
public class OrderApiRoute extends RouteBuilder {

    private final OrderApi api;

    public OrderApiRoute(OrderApi api) {
        this.api = api;
    }

    @Override
    public void configure() {
        onException(Exception.class).id("refuse-request").handled(true)
            .process(OrderApi::writeProblem).id("write-problem");

        // A request starts with no order's ids in the logging MDC: Undertow's worker threads would otherwise log with
        // those of their previous request (camel-mdc leaves a key set when the route removed its header, as the
        // answers do). Every order request presents the API's token when it requires one (the OpenAPI document
        // stays public).
        interceptFrom("rest:*")
            .process(exchange -> SagaMdc.clear()).id("forget-previous-request-ids")
            .process(api::authenticate).id("authenticate-client");

        restConfiguration()
            .apiProperty("api.title", "Order Saga Orchestrator API")
            .apiProperty("api.version", "1")
            .apiProperty("api.description", "Place orders; each runs as a saga over Kafka and ends APPROVED or REJECTED.");

        rest("/api/orders").description("Orders, each run as a saga")
            .post().id("post-order")
                .description("Place an order. Prefer: wait=N waits up to N seconds for the outcome.")
                .consumes("application/json").produces("application/json")
                .param().name("Prefer").type(RestParamType.header).required(false)
                    .description("wait=N: answer 201 with the final order if its saga ends within N seconds").endParam()
                .param().name("Idempotency-Key").type(RestParamType.header).required(false)
                    .description("the same key with the same body returns the first order; with another body, 422")
                    .endParam()
                .responseMessage().code(202).message("Accepted: the saga runs; follow Location").endResponseMessage()
                .responseMessage().code(201).message("Created: the saga ended within the wait").endResponseMessage()
                .responseMessage().code(400).message("Invalid order (problem+json)").endResponseMessage()
                .responseMessage().code(413).message("Body too large (problem+json)").endResponseMessage()
                .responseMessage().code(415).message("Not application/json (problem+json)").endResponseMessage()
                .responseMessage().code(422).message("Idempotency-Key reused with another body (problem+json)")
                    .endResponseMessage()
                .responseMessage().code(503)
                    .message("Too busy (nothing started), or the order not confirmed as recorded (repeat it with the same "
                        + "Idempotency-Key); Retry-After (problem+json)")
                    .endResponseMessage()
                .to("direct:place-order")
            .post("/{orderId}/retry-compensation").id("retry-compensation-api")
                .description("Run again the compensation of a COMPENSATION_FAILED order")
                .produces("application/json")
                .responseMessage().code(202).message("Retrying; follow Location").endResponseMessage()
                .responseMessage().code(404).message("Unknown order (problem+json)").endResponseMessage()
                .responseMessage().code(409).message("Not COMPENSATION_FAILED (problem+json)").endResponseMessage()
                .to("direct:retry-compensation")
            .get("/{orderId}").id("get-order-api")
                .description("One order, with the commands of its saga")
                .produces("application/json")
                .responseMessage().code(200).message("The order").endResponseMessage()
                .responseMessage().code(404).message("Unknown order (problem+json)").endResponseMessage()
                .to("direct:get-order")
            .get().id("list-orders-api")
                .description("Recent orders, newest first")
                .produces("application/json")
                .param().name("status").type(RestParamType.query).required(false)
                    .allowableValues("PENDING", "APPROVED", "REJECTED", "COMPENSATION_FAILED").endParam()
                .param().name("limit").type(RestParamType.query).required(false)
                    .dataType("integer").endParam()
                .to("direct:list-orders");

        // the saga of an accepted order is started by the replica that owns the order's partition, when it reads the
        // order (see AssignedSagas); an Idempotency-Key repeat answers with the order placed before
        from("direct:place-order").routeId("place-order")
            .process(api::checkRequest).id("check-request")
            .process(api::acceptOrder).id("accept-order")
            .process(api.answerPlacedOrder()).id("answer-placed-order");

        from("direct:retry-compensation").routeId("retry-compensation")
            .process(api::retryCompensation).id("retry-failed-compensation");

        from("direct:get-order").routeId("get-order")
            .process(api::getOrder).id("find-order");

        from("direct:list-orders").routeId("list-orders")
            .process(api::listOrders).id("find-recent-orders");
    }
}
