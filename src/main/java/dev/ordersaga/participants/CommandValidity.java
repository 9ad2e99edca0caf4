package dev.ordersaga.participants;

import java.util.Optional;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.OrderLine;
import dev.ordersaga.messaging.Command;

/**
 * What makes a command that can be answered (it names its correlation id and saga) one that can also be handled: the
 * whole order the contract says every command carries. A command that lacks it is answered {@code invalid-command},
 * not skipped: skipping would leave the orchestrator sending it again until the saga's deadline.
 */
final class CommandValidity {

    /** The code of a command that cannot be handled as it stands: final, the same command will not do better. */
    static final String INVALID_COMMAND = "invalid-command";

    private CommandValidity() {
    }

    /** Why the command cannot be handled, or nothing when it can. */
    static Optional<String> problem(Command command) {
        Order order = command.order();
        if (order == null) {
            return Optional.of("the command carries no order, or one that cannot be read");
        }
        if (blank(order.orderId()) || blank(order.currency()) || blank(order.cardToken()) || order.total() == null) {
            return Optional.of("the order lacks its orderId, currency, cardToken or total");
        }
        if (order.items().isEmpty()) {
            return Optional.of("the order has no items");
        }
        for (OrderLine line : order.items()) {
            if (line == null || blank(line.sku()) || line.quantity() < 1 || line.unitPrice() == null) {
                return Optional.of("an item lacks its sku, a quantity of at least 1 or its unitPrice");
            }
        }
        return Optional.empty();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
