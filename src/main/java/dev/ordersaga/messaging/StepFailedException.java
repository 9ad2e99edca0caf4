package dev.ordersaga.messaging;

import dev.ordersaga.flow.CommandType;
/** A saga step did not succeed: the participant refused it, never answered, or could not be reached. */
public class StepFailedException extends RuntimeException {

    private final CommandType command;
    private final Settlement settlement;

    public StepFailedException(CommandType command, Settlement settlement) {
        super(settlement.failureReason(command), null, false, false);
        this.command = command;
        this.settlement = settlement;
    }

    public CommandType command() {
        return command;
    }

    public Settlement settlement() {
        return settlement;
    }
}
