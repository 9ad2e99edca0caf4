package dev.ordersaga.messaging;

import java.util.concurrent.CompletionStage;

import dev.ordersaga.flow.CommandType;

/** Where the saga's commands go: Kafka in the application ({@link CommandPublisher}), a recorder in a flow's tests. */
@FunctionalInterface
public interface CommandChannel {

    /**
     * Hands the command over without waiting.
     *
     * @return completes once the command is written (Kafka has acknowledged it), or fails if it could not be
     */
    CompletionStage<Void> publish(CommandType type, Command command);
}
