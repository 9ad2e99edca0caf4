package dev.ordersaga.orders;

/** An Idempotency-Key that placed one order was sent again with a different request. */
public class IdempotencyKeyReusedException extends RuntimeException {

    private final String orderId;

    public IdempotencyKeyReusedException(String orderId) {
        super("This Idempotency-Key already placed order " + orderId + " with a different request", null, false,
                false);
        this.orderId = orderId;
    }

    public String orderId() {
        return orderId;
    }
}
