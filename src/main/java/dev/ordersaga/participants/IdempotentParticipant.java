package dev.ordersaga.participants;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.Reply;
import dev.ordersaga.messaging.Reply.Outcome;

/**
 * The shape every reference participant shares, per the messaging contract:
 * <ul>
 * <li>idempotent per correlation id: a command seen before gets its first reply again and applies nothing;</li>
 * <li>commutative compensations: an undo that arrives before its do is remembered, and the late do is refused;</li>
 * <li>a transient failure is not remembered, so the same command can succeed when sent again;</li>
 * <li>a command that is not this participant's is answered {@code unsupported-command}, one without the whole order
 * {@code invalid-command}: both final, remembered, and applying nothing.</li>
 * </ul>
 * Every final answer is remembered for ever (the contract's rule 3), so what is kept of one is small: the decision
 * and when it was made. The reply to a repeat is made again from those and the repeated command, which carries the
 * same ids: the same body as the first.
 */
public final class IdempotentParticipant {

    /** The code of a command this participant does not handle: final, remembered like any answer. */
    public static final String UNSUPPORTED_COMMAND = "unsupported-command";

    private final ParticipantRules rules;
    private final Function<String, Optional<CommandType>> commands;
    private final ParticipantLedger ledger;
    private final Clock clock;
    private final Map<String, Remembered> firstAnswers = new HashMap<>();
    private final Set<String> undoneSteps = new HashSet<>();
    private long repeatsAnswered;

    /** @param commands the commands the flows declare, by wire name */
    public IdempotentParticipant(ParticipantRules rules, Function<String, Optional<CommandType>> commands,
                                 ParticipantLedger ledger, Clock clock) {
        this.rules = rules;
        this.commands = commands;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Rebuilds the state from the ledger: every command answered before, applied again in order. */
    public synchronized int replayLedger() {
        int[] replayed = {0};
        ledger.replay(command -> {
            answer(command, true);
            replayed[0]++;
        });
        return replayed[0];
    }

    public String serviceName() {
        return rules.participant();
    }

    /** A reply, and when it may be sent: once what it answers is durable in the ledger. */
    public record Answer(Reply reply, CompletableFuture<Void> durable) {
    }

    /** What is kept of a final answer. */
    private record Remembered(Decision decision, Instant at, CompletableFuture<Void> durable) {
    }

    public synchronized Answer handle(Command command) {
        Remembered first = firstAnswers.get(command.correlationId());
        if (first != null) {
            repeatsAnswered++;
            // answered again as soon as the first answer was recorded, or at once if recording it failed: waiting
            // for a write that failed would leave the command unanswered for ever (see the note on the ledger)
            CompletableFuture<Void> durable = first.durable().isCompletedExceptionally()
                    ? CompletableFuture.completedFuture(null) : first.durable();
            return new Answer(reply(command, first.decision(), first.at()), durable);
        }
        return answer(command, false);
    }

    private Answer answer(Command command, boolean replaying) {
        Optional<CommandType> type = commands.apply(command.type())
                .filter(t -> t.participant().name().equals(rules.participant()));
        Optional<String> invalid = CommandValidity.problem(command);
        Decision decision;
        if (type.isEmpty()) {
            decision = Decision.refused(UNSUPPORTED_COMMAND, "unsupported command " + command.type() + " at "
                    + serviceName());
        } else if (invalid.isPresent()) {
            decision = Decision.refused(CommandValidity.INVALID_COMMAND, invalid.get());
        } else if (type.get().phase() == CommandType.Phase.UNDO) {
            undoneSteps.add(stepKey(command.sagaId(), type.get()));
            decision = replaying ? rules.replay(type.get(), command) : rules.compensate(type.get(), command);
        } else if (undoneSteps.contains(stepKey(command.sagaId(), type.get()))) {
            decision = Decision.refused("already-compensated", type.get().step() + " was already compensated");
        } else {
            decision = replaying ? rules.replay(type.get(), command) : rules.apply(type.get(), command);
        }
        Instant at = clock.instant();
        Reply reply = reply(command, decision, at);
        CompletableFuture<Void> durable = CompletableFuture.completedFuture(null);
        if (!decision.retryable()) {
            if (!replaying) {
                // sent under the lock, so that the ledger holds the commands in the order they were applied
                durable = ledger.record(command);
            }
            firstAnswers.put(command.correlationId(), new Remembered(decision, at, durable));
        }
        return new Answer(reply, durable);
    }

    private Reply reply(Command command, Decision decision, Instant at) {
        return new Reply(command.correlationId(), command.sagaId(), orderIdOf(command), command.type(),
                decision.accepted() ? Outcome.SUCCESS : Outcome.FAILURE, decision.reasonCode(), decision.reason(),
                decision.retryable(), serviceName(), at);
    }

    /** How many repeated commands were answered from memory, applying nothing. */
    public synchronized long repeatsAnswered() {
        return repeatsAnswered;
    }

    /**
     * The order a reply is keyed by: the command's order id, or its saga id when the order is missing (they are
     * equal), so that even the answer to an invalid command lands in its saga's partition.
     */
    private static String orderIdOf(Command command) {
        return command.order() != null && command.order().orderId() != null && !command.order().orderId().isBlank()
                ? command.order().orderId() : command.sagaId();
    }

    private static String stepKey(String sagaId, CommandType type) {
        return sagaId + ":" + type.step();
    }
}
