package dev.ordersaga.routes;

import static dev.ordersaga.messaging.CommandType.APPROVE_ORDER;
import static dev.ordersaga.messaging.CommandType.CANCEL_ORDER;
import static dev.ordersaga.messaging.CommandType.CREATE_ORDER;
import static dev.ordersaga.messaging.CommandType.HOLD_PAYMENT;
import static dev.ordersaga.messaging.CommandType.RELEASE_INVENTORY;
import static dev.ordersaga.messaging.CommandType.RELEASE_PAYMENT;
import static dev.ordersaga.messaging.CommandType.RESERVE_INVENTORY;

import dev.ordersaga.messaging.SagaCommands;
import dev.ordersaga.saga.SagaStepRouteBuilder;

/** Each step of the order saga, beside the compensation that undoes it. */
public class OrderSagaSteps extends SagaStepRouteBuilder {

    public OrderSagaSteps(SagaCommands commands) {
        super(commands);
    }

    @Override
    public void configure() {
        errorHandler(noErrorHandler());

        step(CREATE_ORDER).compensatedBy(CANCEL_ORDER);
        step(RESERVE_INVENTORY).compensatedBy(RELEASE_INVENTORY);
        step(HOLD_PAYMENT).compensatedBy(RELEASE_PAYMENT);
        step(APPROVE_ORDER).pivot();
    }
}
