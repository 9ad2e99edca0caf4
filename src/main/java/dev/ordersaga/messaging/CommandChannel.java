package dev.ordersaga.messaging;

import java.util.function.Consumer;

import dev.ordersaga.flow.CommandType;

/** Where the saga's commands go: Kafka in the application ({@link CommandPublisher}), a recorder in a flow's tests. */
@FunctionalInterface
public interface CommandChannel {

    /** Hands the command over without waiting; a send that fails later is reported to {@code onFailure}. */
    void publish(CommandType type, Command command, Consumer<Throwable> onFailure);
}
