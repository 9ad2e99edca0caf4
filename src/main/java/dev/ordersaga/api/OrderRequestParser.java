package dev.ordersaga.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.OrderLine;
import dev.ordersaga.json.Json;

/**
 * Reads and checks the body of {@code POST /api/orders}. Every problem found is reported at once, each with the path
 * of the field it concerns, so that a client can fix its request in one go. Nothing is accepted half-checked.
 */
public final class OrderRequestParser {

    // the rules, as regular expressions a whole value must match; OrderRequest shows them in the OpenAPI document
    public static final String CURRENCY_REGEX = "[A-Z]{3}";
    public static final String MONEY_REGEX = "\\d{1,12}(\\.\\d{1,4})?";
    public static final String SKU_REGEX = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    public static final String EMAIL_REGEX = "[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+";
    public static final int MAX_TEXT = 128;
    public static final int MAX_EMAIL = 254;

    private static final Pattern CURRENCY = Pattern.compile(CURRENCY_REGEX);
    private static final Pattern MONEY = Pattern.compile(MONEY_REGEX);
    private static final Pattern SKU = Pattern.compile(SKU_REGEX);
    private static final Pattern EMAIL = Pattern.compile(EMAIL_REGEX);

    private final int maxItems;
    private final int maxQuantity;

    public OrderRequestParser(int maxItems, int maxQuantity) {
        this.maxItems = maxItems;
        this.maxQuantity = maxQuantity;
    }

    /** @throws ApiProblem 400 listing every field that is wrong */
    public Order parse(String body, String orderId, Instant now) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiProblem(ProblemType.MALFORMED_JSON, "The body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ApiProblem(ProblemType.INVALID_ORDER, "The body must be a JSON object describing the order.");
        }
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        String customerId = text(root, "customerId", MAX_TEXT, errors);
        String email = text(root, "customerEmail", MAX_EMAIL, errors);
        if (email != null && !EMAIL.matcher(email).matches()) {
            errors.add(new ApiProblem.FieldError("customerEmail", "must be an email address"));
        }
        Currency currency = currency(root, errors);
        List<OrderLine> items = items(root, currency, errors);
        JsonNode payment = root.get("payment");
        String cardToken = null;
        if (payment == null || !payment.isObject()) {
            errors.add(new ApiProblem.FieldError("payment", "is required: an object with a cardToken"));
        } else {
            cardToken = text(payment, "cardToken", MAX_TEXT, errors, "payment.cardToken");
        }
        if (!errors.isEmpty()) {
            throw new ApiProblem(ProblemType.INVALID_ORDER, errors.size() + " field(s) are invalid.", errors);
        }
        BigDecimal total = items.stream().map(OrderLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(currency.getDefaultFractionDigits());
        return new Order(orderId, customerId, email, currency.getCurrencyCode(), items, cardToken, total, now);
    }

    private Currency currency(JsonNode root, List<ApiProblem.FieldError> errors) {
        String code = text(root, "currency", MAX_TEXT, errors);
        if (code == null) {
            return null;
        }
        if (!CURRENCY.matcher(code).matches()) {
            errors.add(new ApiProblem.FieldError("currency", "must be an ISO 4217 code of three capital letters"));
            return null;
        }
        try {
            Currency currency = Currency.getInstance(code);
            if (currency.getDefaultFractionDigits() < 0) {
                errors.add(new ApiProblem.FieldError("currency", "is not a currency of money: " + code));
                return null;
            }
            return currency;
        } catch (IllegalArgumentException e) {
            errors.add(new ApiProblem.FieldError("currency", "is not a known ISO 4217 code: " + code));
            return null;
        }
    }

    private List<OrderLine> items(JsonNode root, Currency currency, List<ApiProblem.FieldError> errors) {
        JsonNode items = root.get("items");
        List<OrderLine> lines = new ArrayList<>();
        if (items == null || !items.isArray() || items.isEmpty()) {
            errors.add(new ApiProblem.FieldError("items", "is required: an array of at least one item"));
            return lines;
        }
        if (items.size() > maxItems) {
            errors.add(new ApiProblem.FieldError("items", "has " + items.size() + " items; at most " + maxItems
                    + " are allowed"));
            return lines;
        }
        for (int i = 0; i < items.size(); i++) {
            String at = "items[" + i + "]";
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                errors.add(new ApiProblem.FieldError(at, "must be an object with sku, quantity and unitPrice"));
                continue;
            }
            String sku = text(item, "sku", MAX_TEXT, errors, at + ".sku");
            if (sku != null && !SKU.matcher(sku).matches()) {
                errors.add(new ApiProblem.FieldError(at + ".sku", "must be letters, digits, '.', '_' or '-'"));
            }
            Integer quantity = quantity(item.get("quantity"), at + ".quantity", errors);
            BigDecimal unitPrice = money(item.get("unitPrice"), currency, at + ".unitPrice", errors);
            if (sku != null && quantity != null && unitPrice != null) {
                lines.add(new OrderLine(sku, quantity, unitPrice));
            }
        }
        return lines;
    }

    private Integer quantity(JsonNode node, String field, List<ApiProblem.FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new ApiProblem.FieldError(field, "is required"));
        } else if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            errors.add(new ApiProblem.FieldError(field, "must be a whole number"));
        } else if (node.intValue() < 1 || node.intValue() > maxQuantity) {
            errors.add(new ApiProblem.FieldError(field, "must be between 1 and " + maxQuantity));
        } else {
            return node.intValue();
        }
        return null;
    }

    private BigDecimal money(JsonNode node, Currency currency, String field, List<ApiProblem.FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new ApiProblem.FieldError(field, "is required"));
            return null;
        }
        if (!node.isTextual() || !MONEY.matcher(node.textValue()).matches()) {
            errors.add(new ApiProblem.FieldError(field, "must be a decimal string such as \"12.50\""));
            return null;
        }
        BigDecimal amount = new BigDecimal(node.textValue());
        if (amount.signum() <= 0) {
            errors.add(new ApiProblem.FieldError(field, "must be greater than zero"));
            return null;
        }
        if (currency != null && amount.stripTrailingZeros().scale() > currency.getDefaultFractionDigits()) {
            errors.add(new ApiProblem.FieldError(field, "has more decimals than " + currency.getCurrencyCode()
                    + " allows (" + currency.getDefaultFractionDigits() + ")"));
            return null;
        }
        return amount;
    }

    private static String text(JsonNode parent, String name, int maxLength, List<ApiProblem.FieldError> errors) {
        return text(parent, name, maxLength, errors, name);
    }

    private static String text(JsonNode parent, String name, int maxLength, List<ApiProblem.FieldError> errors,
                               String field) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            errors.add(new ApiProblem.FieldError(field, "is required"));
        } else if (!node.isTextual()) {
            errors.add(new ApiProblem.FieldError(field, "must be a string"));
        } else if (node.textValue().isBlank()) {
            errors.add(new ApiProblem.FieldError(field, "must not be empty"));
        } else if (node.textValue().length() > maxLength) {
            errors.add(new ApiProblem.FieldError(field, "must be at most " + maxLength + " characters"));
        } else {
            return node.textValue();
        }
        return null;
    }
}
