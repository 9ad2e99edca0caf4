package dev.ordersaga.participants;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.ordersaga.messaging.Command;

/**
 * A participant's durable memory: every command it answered, in the order it answered them. Replaying them through
 * the same rules at start-up rebuilds its state, its first replies and its record of undone steps, so that its
 * idempotency and commutativity hold across its own restart.
 */
public interface ParticipantLedger {

    /** Records a command; completes once the record is durable. Its reply must not be sent before. */
    CompletableFuture<Void> record(Command command);

    /** Hands every recorded command to {@code onCommand}, oldest first. */
    void replay(Consumer<Command> onCommand);

    /** No memory beyond the process: for participants that run inside the orchestrator's demo process. */
    ParticipantLedger NONE = new ParticipantLedger() {
        @Override
        public CompletableFuture<Void> record(Command command) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void replay(Consumer<Command> onCommand) {
        }
    };
}
