package dev.ordersaga.domain;

import java.math.BigDecimal;

/** One line of an order: how many of a SKU, at what unit price. */
public record OrderLine(String sku, int quantity, BigDecimal unitPrice) {

    public BigDecimal amount() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
