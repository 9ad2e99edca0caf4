package dev.ordersaga.participants;

import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.CommandType;
import dev.ordersaga.messaging.Participant;

/**
 * The business rules of one participant, free of messaging concerns: {@link IdempotentParticipant} sees to it that
 * each command is applied at most once and that an undo that overtook its do is honoured.
 */
public interface ParticipantRules {

    Participant participant();

    /** Performs a DO command. */
    Decision apply(CommandType type, Command command);

    /** Performs an UNDO command; undoing what was never done is a success that changes nothing. */
    Decision compensate(CommandType type, Command command);

    /**
     * Applies again, at start-up, a command answered before a restart (see {@link ParticipantLedger}). Rules that
     * depend on passing outside conditions override this to apply what was applied then.
     */
    default Decision replay(CommandType type, Command command) {
        return type.phase() == CommandType.Phase.DO ? apply(type, command) : compensate(type, command);
    }
}
