package dev.ordersaga.fault;

import java.util.Map;
import java.util.Random;

/**
 * The orders an audit places, and the stock they draw on: good orders (BOOK-42, plenty), contended ones (MUG-7, so
 * that some are refused for stock), impossible ones (LAMP-3, none) and some with a declined card. The audit knows the
 * stock each SKU started with, so it can check what is left against what was sold.
 */
final class OrderMix {

    /** Stock for a run: BOOK-42 plenty (good orders), MUG-7 contended, LAMP-3 none. */
    static final Map<String, Integer> STOCK = Map.of("BOOK-42", 100_000, "MUG-7", 25, "LAMP-3", 0);
    static final Map<String, String> PRICE = Map.of("BOOK-42", "12.50", "MUG-7", "8.00", "LAMP-3", "30.00");

    private OrderMix() {
    }

    /** The participants' stock setting ({@code PARTICIPANTS_INVENTORY_STOCK}): {@code SKU:available:unitPrice,...}. */
    static String stockSetting() {
        return STOCK.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue() + ":" + PRICE.get(e.getKey()))
                .reduce((a, b) -> a + "," + b).orElseThrow();
    }

    /** One order body: 60 % BOOK-42, 20 % MUG-7, 20 % LAMP-3; about one in five with a declined card. */
    static String randomOrder(Random random) {
        int kind = random.nextInt(10);
        String sku = kind < 6 ? "BOOK-42" : kind < 8 ? "MUG-7" : "LAMP-3";
        String card = kind == 9 || random.nextInt(10) == 0 ? "tok_declined" : "tok_visa";
        int quantity = sku.equals("MUG-7") ? 1 : 1 + random.nextInt(3);
        return "{\"customerId\":\"fault\",\"customerEmail\":\"c@example.com\",\"currency\":\"EUR\","
                + "\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + ",\"unitPrice\":\"" + PRICE.get(sku)
                + "\"}],\"payment\":{\"cardToken\":\"" + card + "\"}}";
    }

    /** Whether nothing of the business refuses this order: a book (plenty of it), paid with a good card. */
    static boolean isApprovable(String body) {
        return body.contains("\"sku\":\"BOOK-42\"") && body.contains("\"cardToken\":\"tok_visa\"");
    }
}
