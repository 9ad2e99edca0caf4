package dev.ordersaga.participants;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.ordersaga.domain.OrderLine;
import dev.ordersaga.flow.CommandType;
import dev.ordersaga.messaging.Command;

/**
 * inventory-service: stock per SKU and reservations per order. A reservation is all or nothing: it is refused if any
 * line names an unknown SKU or more than is available; available stock never goes below zero.
 */
public final class InventoryService implements ParticipantRules {

    /** SKU:available:unitPrice,... */
    static final String STOCK = "participants.inventory.stock";

    /** Stock of one SKU at start-up. */
    public record StockItem(String sku, int available, BigDecimal unitPrice) {
    }

    /** The demo view of one SKU. */
    public record StockView(String sku, int available, int reserved, BigDecimal unitPrice) {
    }

    private final Map<String, StockLevel> stock = new LinkedHashMap<>();
    private final Map<String, Map<String, Integer>> reservationsByOrder = new HashMap<>();

    public InventoryService(List<StockItem> initialStock) {
        initialStock.forEach(item -> stock.put(item.sku(), new StockLevel(item.available(), item.unitPrice())));
    }

    public InventoryService(ParticipantSettings settings) {
        this(DemoData.entries(settings.string(STOCK)).stream().map(entry -> {
            String[] parts = DemoData.parts(entry, 3, STOCK, "SKU:available:unitPrice");
            return new StockItem(parts[0], Integer.parseInt(parts[1]), new BigDecimal(parts[2]));
        }).toList());
    }

    @Override
    public String participant() {
        return "inventory-service";
    }

    @Override
    public Optional<DemoView> demoView() {
        return Optional.of(new DemoView("inventory", this::view));
    }

    @Override
    public synchronized Decision apply(CommandType type, Command command) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        for (OrderLine line : command.order().items()) {
            wanted.merge(line.sku(), line.quantity(), Integer::sum);
        }
        for (Map.Entry<String, Integer> line : wanted.entrySet()) {
            StockLevel level = stock.get(line.getKey());
            if (level == null) {
                return Decision.refused("unknown-sku", "unknown SKU " + line.getKey());
            }
            if (level.available < line.getValue()) {
                return Decision.refused("out-of-stock", "out of stock: " + line.getKey() + " has " + level.available
                        + " available, " + line.getValue() + " requested");
            }
        }
        wanted.forEach((sku, quantity) -> stock.get(sku).reserve(quantity));
        reservationsByOrder.put(command.order().orderId(), wanted);
        return Decision.done();
    }

    @Override
    public synchronized Decision compensate(CommandType type, Command command) {
        Map<String, Integer> reserved = reservationsByOrder.remove(command.order().orderId());
        if (reserved == null) {
            return Decision.done("nothing reserved");
        }
        reserved.forEach((sku, quantity) -> stock.get(sku).release(quantity));
        return Decision.done();
    }

    public synchronized List<StockView> view() {
        return stock.entrySet().stream()
                .map(e -> new StockView(e.getKey(), e.getValue().available, e.getValue().reserved,
                        e.getValue().unitPrice))
                .toList();
    }

    private static final class StockLevel {
        final BigDecimal unitPrice;
        int available;
        int reserved;

        StockLevel(int available, BigDecimal unitPrice) {
            this.available = available;
            this.unitPrice = unitPrice;
        }

        void reserve(int quantity) {
            available -= quantity;
            reserved += quantity;
        }

        void release(int quantity) {
            available += quantity;
            reserved -= quantity;
        }
    }
}
