package dev.ordersaga.messaging;

import static dev.ordersaga.messaging.Participant.INVENTORY_SERVICE;
import static dev.ordersaga.messaging.Participant.NOTIFICATION_SERVICE;
import static dev.ordersaga.messaging.Participant.ORDER_SERVICE;
import static dev.ordersaga.messaging.Participant.PAYMENT_SERVICE;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every command of the order saga, declared once: its wire name, the participant that handles it, the saga step it
 * belongs to, and whether it does that step or undoes it. The correlation id of a command follows from these and the
 * saga id alone, so a command sent again is recognisably the same command.
 */
public enum CommandType {
    CREATE_ORDER("CreateOrder", ORDER_SERVICE, "create-order", Phase.DO),
    CANCEL_ORDER("CancelOrder", ORDER_SERVICE, "create-order", Phase.UNDO),
    RESERVE_INVENTORY("ReserveInventory", INVENTORY_SERVICE, "reserve-inventory", Phase.DO),
    RELEASE_INVENTORY("ReleaseInventory", INVENTORY_SERVICE, "reserve-inventory", Phase.UNDO),
    HOLD_PAYMENT("HoldPayment", PAYMENT_SERVICE, "hold-payment", Phase.DO),
    RELEASE_PAYMENT("ReleasePayment", PAYMENT_SERVICE, "hold-payment", Phase.UNDO),
    APPROVE_ORDER("ApproveOrder", ORDER_SERVICE, "approve-order", Phase.DO),
    SEND_ORDER_CONFIRMATION("SendOrderConfirmation", NOTIFICATION_SERVICE, "send-order-confirmation", Phase.DO),
    SEND_ORDER_REJECTION("SendOrderRejection", NOTIFICATION_SERVICE, "send-order-rejection", Phase.DO);

    /** Whether a command performs its step or compensates it. */
    public enum Phase {
        DO("do"), UNDO("undo");

        private final String wireName;

        Phase(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    private final String wireName;
    private final Participant participant;
    private final String step;
    private final Phase phase;

    CommandType(String wireName, Participant participant, String step, Phase phase) {
        this.wireName = wireName;
        this.participant = participant;
        this.step = step;
        this.phase = phase;
    }

    /** The name on the wire, in the {@code command-type} header and the body's {@code type}. */
    public String wireName() {
        return wireName;
    }

    public Participant participant() {
        return participant;
    }

    public String step() {
        return step;
    }

    public Phase phase() {
        return phase;
    }

    /** The node and route name of this command in Camel: {@code ReleaseInventory} is {@code release-inventory}. */
    public String routeName() {
        return wireName.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
    }

    /** {@code <sagaId>:<step>:<do|undo>}: the same for every send of this command in this saga. */
    public String correlationId(String sagaId) {
        return sagaId + ":" + step + ":" + phase.wireName();
    }

    /** The saga a correlation id belongs to; null if it is not one of ours. */
    public static String sagaIdOf(String correlationId) {
        int end = correlationId == null ? -1 : correlationId.indexOf(':');
        return end > 0 ? correlationId.substring(0, end) : null;
    }

    public static Optional<CommandType> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
    }
}
