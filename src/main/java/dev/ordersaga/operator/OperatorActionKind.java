package dev.ordersaga.operator;

import java.util.Locale;

/**
 * What an operator can ask of the saga of an order, through any replica. Each kind has one
 * {@link OperatorActionHandler} on the replica that owns the order ({@link OperatorActionHandlers}); a new action is
 * one more value here and its handler.
 */
public enum OperatorActionKind {

    /** Run again the compensation (or the confirmation) of a saga that failed every attempt. */
    RETRY_COMPENSATION;

    /** The kind as the operator-action topic and the API write it: {@code retry-compensation}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
