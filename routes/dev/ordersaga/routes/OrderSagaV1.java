package dev.ordersaga.routes;

import dev.ordersaga.flow.Participant;
import dev.ordersaga.saga.SagaFlow;

/**
 * The order saga, version 1, top to bottom. Create the order; reserve the stock and hold the payment in parallel;
 * approve the order, which is the pivot. Once the saga has completed the customer is emailed a confirmation
 * (retried, never undone). When a step fails or the saga times out, the steps already done are compensated in
 * reverse order, and last of all the customer is told the order was rejected.
 */
public final class OrderSagaV1 extends SagaFlow {

    private final Participant orderService = participant("order-service");
    private final Participant inventoryService = participant("inventory-service");
    private final Participant paymentService = participant("payment-service");
    private final Participant notificationService = participant("notification-service");

    @Override
    protected void declare() {
        flow("order-saga").version(1)
            .step("create-order").invoke(orderService, "CreateOrder").compensateWith("CancelOrder")
            .inParallel("reserve-inventory-and-hold-payment")
                .step("reserve-inventory").invoke(inventoryService, "ReserveInventory")
                    .compensateWith("ReleaseInventory")
                .step("hold-payment").invoke(paymentService, "HoldPayment").compensateWith("ReleasePayment")
            .endParallel()
            .pivot("approve-order").invoke(orderService, "ApproveOrder")
            .afterPivot("send-order-confirmation").invoke(notificationService, "SendOrderConfirmation")
            .onRejection("send-order-rejection").invoke(notificationService, "SendOrderRejection");
    }
}
