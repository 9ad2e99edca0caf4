package dev.ordersaga.flow;

import java.util.regex.Pattern;

/**
 * One command of a flow: its name on the wire, the participant that handles it, the step it belongs to, and whether
 * it does that step or undoes it. The correlation id of a command follows from these and the saga id alone, so a
 * command sent again is recognisably the same command.
 */
public record CommandType(String wireName, Participant participant, String step, Phase phase) {

    private static final Pattern WIRE_NAME = Pattern.compile("[A-Z][A-Za-z0-9]*");
    private static final Pattern STEP = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

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

    public CommandType {
        if (wireName == null || !WIRE_NAME.matcher(wireName).matches()) {
            throw new IllegalArgumentException("A command's name is UpperCamelCase, such as HoldPayment; was '"
                    + wireName + "'");
        }
        if (step == null || !STEP.matcher(step).matches()) {
            throw new IllegalArgumentException("A step's name is lower-case words joined by '-', such as "
                    + "hold-payment; was '" + step + "'");
        }
        if (participant == null || phase == null) {
            throw new IllegalArgumentException("Command " + wireName + " needs a participant and a phase");
        }
    }

    /** The node and route name of this command in Camel: {@code ReleaseInventory} is {@code release-inventory}. */
    public String routeName() {
        return wireName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** {@code <sagaId>:<step>:<do|undo>}: the same for every send of this command in this saga. */
    public String correlationId(String sagaId) {
        return sagaId + ":" + step + ":" + phase.wireName();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
