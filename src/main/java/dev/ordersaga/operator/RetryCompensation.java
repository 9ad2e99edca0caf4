package dev.ordersaga.operator;

import dev.ordersaga.saga.OrderSagaService;

/**
 * {@link OperatorActionKind#RETRY_COMPENSATION}: runs again the compensation (or the confirmation) of a saga that
 * failed every attempt. The journal record that starts the retry names the action, so a second read of it finds it
 * done ({@link OrderSagaService#hasCarriedOut}).
 */
public final class RetryCompensation implements OperatorActionHandler {

    private final OrderSagaService sagas;

    public RetryCompensation(OrderSagaService sagas) {
        this.sagas = sagas;
    }

    @Override
    public Outcome carryOut(OperatorAction action) {
        if (sagas.hasCarriedOut(action.orderId(), action.actionId())) {
            return Outcome.ALREADY_DONE;
        }
        return sagas.retry(action.orderId(), action.actionId()).isPresent() ? Outcome.CARRIED_OUT
                : Outcome.NOTHING_TO_DO;
    }
}
