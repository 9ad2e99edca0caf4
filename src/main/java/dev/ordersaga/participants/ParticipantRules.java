package dev.ordersaga.participants;

import java.util.Optional;
import java.util.function.Supplier;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.messaging.Command;

/**
 * The business rules of one reference participant, free of messaging concerns: {@link IdempotentParticipant} sees to
 * it that each command is applied at most once and that an undo that overtook its do is honoured. An implementation
 * in {@code participants.rules-packages} is found by itself, for the participant of a flow it names: it has a public
 * constructor that takes {@link ParticipantSettings}, or none. The commands it is handed are those the flows declare
 * for its participant.
 */
public interface ParticipantRules {

    /** The participant's name, as the flows declare it: {@code payment-service}. */
    String participant();

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

    /** The participant's state, served read-only at {@code /demo/<name>} for demos and audits; none by default. */
    default Optional<DemoView> demoView() {
        return Optional.empty();
    }

    /** A read-only view of a participant's state. */
    record DemoView(String name, Supplier<Object> state) {
    }
}
