package dev.ordersaga.participants;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.messaging.Command;

/** order-service: keeps each order's own record, PENDING until approved or cancelled. */
public final class OrderService implements ParticipantRules {

    public enum RecordStatus { PENDING, APPROVED, CANCELLED }

    public record OrderRecord(String orderId, RecordStatus status) {
    }

    private final Map<String, RecordStatus> orders = new LinkedHashMap<>();

    @Override
    public String participant() {
        return "order-service";
    }

    @Override
    public Optional<DemoView> demoView() {
        return Optional.of(new DemoView("orders", this::view));
    }

    @Override
    public synchronized Decision apply(CommandType type, Command command) {
        String orderId = command.order().orderId();
        RecordStatus current = orders.get(orderId);
        return switch (type.wireName()) {
            case "CreateOrder" -> {
                if (current != null) {
                    yield Decision.refused("order-exists", "order " + orderId + " exists already");
                }
                orders.put(orderId, RecordStatus.PENDING);
                yield Decision.done();
            }
            case "ApproveOrder" -> {
                if (current != RecordStatus.PENDING) {
                    yield Decision.refused("order-not-approvable", "order " + orderId + " cannot be approved: it is "
                            + (current == null ? "unknown" : current));
                }
                orders.put(orderId, RecordStatus.APPROVED);
                yield Decision.done();
            }
            default -> throw new IllegalArgumentException("not a DO command of order-service: " + type);
        };
    }

    @Override
    public synchronized Decision compensate(CommandType type, Command command) {
        String orderId = command.order().orderId();
        if (orders.containsKey(orderId)) {
            orders.put(orderId, RecordStatus.CANCELLED);
            return Decision.done();
        }
        return Decision.done("nothing to cancel");
    }

    public synchronized List<OrderRecord> view() {
        return orders.entrySet().stream().map(e -> new OrderRecord(e.getKey(), e.getValue())).toList();
    }
}
