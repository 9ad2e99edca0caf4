package dev.ordersaga.it;

import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;

/** Order request bodies for the tests, and readers of the demo views. */
final class Orders {

    private Orders() {
    }

    static String orderFrom(String email, String card, String... skuQuantityPrice) {
        StringBuilder items = new StringBuilder();
        for (String line : skuQuantityPrice) {
            String[] parts = line.split(":");
            if (items.length() > 0) {
                items.append(',');
            }
            items.append("{\"sku\":\"").append(parts[0]).append("\",\"quantity\":").append(parts[1])
                    .append(",\"unitPrice\":\"").append(parts[2]).append("\"}");
        }
        return "{\"customerId\":\"cust-1\",\"customerEmail\":\"" + email + "\",\"currency\":\"EUR\",\"items\":["
                + items + "],\"payment\":{\"cardToken\":\"" + card + "\"}}";
    }

    static String order(String card, String... skuQuantityPrice) {
        return orderFrom("ada@example.com", card, skuQuantityPrice);
    }

    /** The available stock of a SKU in {@code GET /demo/inventory}. */
    static int available(ApiClient api, String sku) {
        return stockOf(api, sku).get("available").asInt();
    }

    static JsonNode stockOf(ApiClient api, String sku) {
        for (JsonNode item : api.get("/demo/inventory").body()) {
            if (item.get("sku").asText().equals(sku)) {
                return item;
            }
        }
        throw new AssertionError("no SKU " + sku + " in /demo/inventory");
    }

    /** The entries of a demo view that concern one order, as "field=value" of the given field. */
    static String entriesOf(ApiClient api, String view, String orderId, String field) {
        return StreamSupport.stream(api.get("/demo/" + view).body().spliterator(), false)
                .filter(entry -> entry.get("orderId").asText().equals(orderId))
                .map(entry -> entry.get(field).asText())
                .collect(Collectors.joining(","));
    }
}
