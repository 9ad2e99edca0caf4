package dev.ordersaga.domain;

import java.util.Arrays;
import java.util.Map;

/**
 * Why an order was rejected, as its customer and the API's clients are told: a stable code and a business sentence,
 * never a participant's own words or anything internal (those go to the step's detail and the logs). A participant's
 * reason code becomes one of these ({@link #forParticipantCode}); a code this catalogue does not know becomes
 * {@link #COULD_NOT_BE_COMPLETED}.
 */
public enum RejectionReason {
    OUT_OF_STOCK("out-of-stock", "An item of your order is out of stock."),
    UNKNOWN_ITEM("unknown-item", "An item of your order is not sold here."),
    PAYMENT_DECLINED("payment-declined", "Your payment was declined."),
    CREDIT_LIMIT_EXCEEDED("credit-limit-exceeded", "The order total is more than the credit left on your card."),
    ORDER_REFUSED("order-refused", "We cannot accept this order."),
    NOT_COMPLETED_IN_TIME("not-completed-in-time", "Your order could not be completed in time."),
    COULD_NOT_BE_COMPLETED("could-not-be-completed", "Your order could not be completed.");

    /** The participants' reason codes (docs/messaging-contract.md) that name a business reason of their own. */
    private static final Map<String, RejectionReason> BY_PARTICIPANT_CODE = Map.of(
            "out-of-stock", OUT_OF_STOCK,
            "unknown-sku", UNKNOWN_ITEM,
            "card-declined", PAYMENT_DECLINED,
            "unknown-card", PAYMENT_DECLINED,
            "currency-not-accepted", PAYMENT_DECLINED,
            "credit-limit-exceeded", CREDIT_LIMIT_EXCEEDED,
            "suspected-fraud", ORDER_REFUSED);

    private final String code;
    private final String message;

    RejectionReason(String code, String message) {
        this.code = code;
        this.message = message;
    }

    public String code() {
        return code;
    }

    public String message() {
        return message;
    }

    /** The reason a participant's refusal with this code gives the customer. */
    public static RejectionReason forParticipantCode(String participantCode) {
        return participantCode == null ? COULD_NOT_BE_COMPLETED
                : BY_PARTICIPANT_CODE.getOrDefault(participantCode, COULD_NOT_BE_COMPLETED);
    }

    /** The reason of this code; an unknown one (or none) is {@link #COULD_NOT_BE_COMPLETED}. */
    public static RejectionReason of(String code) {
        return Arrays.stream(values()).filter(reason -> reason.code.equals(code)).findFirst()
                .orElse(COULD_NOT_BE_COMPLETED);
    }
}
