package dev.ordersaga.participants;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.ordersaga.json.Json;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.CorrelationIds;

/**
 * Reads a command record's body, which is authoritative (the headers only repeat its ids, for routing and tracing).
 * A body that names a correlation id and a saga can be answered even if its order cannot be read: it is handed on
 * without the order, to be answered {@code invalid-command}. One that is not JSON, or names no correlation id, cannot
 * be answered and is nothing.
 * <p>
 * A well-formed command is bound in one pass; only a body that does not bind as one, or lacks an id, is read again
 * as a tree to find out what of it can be answered.
 */
public final class CommandRecords {

    private static final ObjectReader COMMAND = Json.textAsTextReader(Command.class);

    private CommandRecords() {
    }

    public static Optional<Command> read(byte[] body) {
        if (body == null) {
            return Optional.empty();
        }
        try {
            Command command = COMMAND.readValue(body);
            if (command != null && isText(command.correlationId()) && isText(command.sagaId())) {
                return Optional.of(command);
            }
        } catch (IOException notACommandAsWritten) {
            // looked at closer below
        }
        return readLeniently(body);
    }

    private static Optional<Command> readLeniently(byte[] body) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(body);
        } catch (Exception notJson) {
            return Optional.empty();
        }
        if (tree == null || !tree.isObject()) {
            return Optional.empty();
        }
        String correlationId = text(tree, "correlationId");
        String sagaId = Optional.ofNullable(text(tree, "sagaId")).orElse(CorrelationIds.sagaIdOf(correlationId));
        if (correlationId == null || sagaId == null) {
            return Optional.empty();
        }
        Command command;
        try {
            command = Json.MAPPER.treeToValue(tree, Command.class);
        } catch (Exception unreadableOrder) {
            command = new Command(text(tree, "type"), sagaId, correlationId, null, null, null, null);
        }
        return Optional.of(command.sagaId() != null ? command : new Command(command.type(), sagaId, correlationId,
                command.order(), command.reasonCode(), command.reason(), command.issuedAt()));
    }

    private static String text(JsonNode tree, String field) {
        JsonNode value = tree.get(field);
        return value == null || !value.isTextual() || !isText(value.asText()) ? null : value.asText();
    }

    private static boolean isText(String value) {
        return value != null && !value.isBlank();
    }
}
