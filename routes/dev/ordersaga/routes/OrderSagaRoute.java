package dev.ordersaga.routes;

import static dev.ordersaga.messaging.CommandType.APPROVE_ORDER;
import static dev.ordersaga.messaging.CommandType.CREATE_ORDER;
import static dev.ordersaga.messaging.CommandType.HOLD_PAYMENT;
import static dev.ordersaga.messaging.CommandType.RESERVE_INVENTORY;
import static dev.ordersaga.messaging.CommandType.SEND_ORDER_CONFIRMATION;
import static dev.ordersaga.messaging.CommandType.SEND_ORDER_REJECTION;
import static dev.ordersaga.messaging.MessageHeaders.COMPENSATION_REASON;
import static dev.ordersaga.messaging.MessageHeaders.ORDER_ID;
import static dev.ordersaga.saga.SagaStepRouteBuilder.endpointOf;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.SagaPropagation;

import dev.ordersaga.domain.OrderViews;
import dev.ordersaga.messaging.SagaCommands;
import dev.ordersaga.saga.AllStepsMustSucceed;

/**
 * The order saga, top to bottom. Create the order; reserve the stock and hold the payment in parallel; approve the
 * order, which is the pivot. When the saga completes the customer is emailed a confirmation (retried, never undone).
 * When any step fails or the saga times out, the steps already done are compensated in reverse order (each step
 * declares its compensation in {@link OrderSagaSteps}), and last of all the order is rejected and the customer told.
 */
public class OrderSagaRoute extends RouteBuilder {

    private final SagaCommands commands;
    private final OrderViews orders;

    public OrderSagaRoute(SagaCommands commands, OrderViews orders) {
        this.commands = commands;
        this.orders = orders;
    }

    @Override
    public void configure() {
        // a failed step is a business outcome, not an error: the Saga EIP compensates it and reject-order records it
        errorHandler(noErrorHandler());

        from("direct:run-order-saga").routeId("run-order-saga")
            .doTry().id("try-saga")
                .to("direct:order-saga").id("run-saga")
            .doCatch(Exception.class).id("catch-rejected-order")
                // a rejected order is an outcome, not an error: by the time a failure comes back here, the saga
                // has compensated it and recorded the order as rejected
                .log(LoggingLevel.DEBUG, "Saga of order ${header.order-id} ended by compensation").id("saga-compensated")
            .end();

        from("direct:order-saga").routeId("order-saga")
            .saga().id("begin-saga").propagation(SagaPropagation.REQUIRES_NEW).timeout("{{saga.timeout}}")
                .option(ORDER_ID, header(ORDER_ID))
                .completion("direct:confirm-order")
                .compensation("direct:reject-order")
            .to(endpointOf(CREATE_ORDER)).id("create-order")
            .multicast(new AllStepsMustSucceed()).parallelProcessing().id("reserve-inventory-and-hold-payment")
                .to(endpointOf(RESERVE_INVENTORY)).id("reserve-inventory")
                .to(endpointOf(HOLD_PAYMENT)).id("hold-payment")
            .end()
            .to(endpointOf(APPROVE_ORDER)).id("approve-order");

        // the order is APPROVED only once the saga has completed: a saga that timed out during the pivot is
        // compensated instead, and never reaches this route
        from("direct:confirm-order").routeId("confirm-order")
            .process(exchange -> orders.approve(exchange.getMessage().getHeader(ORDER_ID, String.class)))
                .id("mark-order-approved")
            .process(commands.send(SEND_ORDER_CONFIRMATION)).id("send-order-confirmation");

        from("direct:reject-order").routeId("reject-order")
            .log("Order ${header.order-id} rejected: ${header.compensation-reason}").id("log-rejection")
            .process(exchange -> orders.reject(exchange.getMessage().getHeader(ORDER_ID, String.class),
                    exchange.getMessage().getHeader(COMPENSATION_REASON, String.class)))
                .id("mark-order-rejected")
            .process(commands.send(SEND_ORDER_REJECTION)).id("send-order-rejection");
    }
}
