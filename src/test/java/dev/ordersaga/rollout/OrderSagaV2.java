package dev.ordersaga.rollout;

import dev.ordersaga.flow.Participant;
import dev.ordersaga.saga.SagaFlow;

/**
 * Version 2 of the order saga, as a team would add it while version 1 sagas still run: a fraud check by a new
 * participant between CreateOrder and the parallel reserve/hold. Only in the test class path, in a package of its
 * own, so that a process knows it only when {@code flows.packages} names this package: the replica of the new
 * release, in {@code RollingUpdateRun}.
 */
public final class OrderSagaV2 extends SagaFlow {

    private final Participant orderService = participant("order-service");
    private final Participant fraudService = participant("fraud-service");
    private final Participant inventoryService = participant("inventory-service");
    private final Participant paymentService = participant("payment-service");
    private final Participant notificationService = participant("notification-service");

    @Override
    protected void declare() {
        flow("order-saga").version(2)
            .step("create-order").invoke(orderService, "CreateOrder").compensateWith("CancelOrder")
            .check("fraud-check").invoke(fraudService, "CheckFraud")
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
