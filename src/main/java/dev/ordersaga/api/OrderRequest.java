package dev.ordersaga.api;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code POST /api/orders}, as the OpenAPI document describes it. Nothing reads a request into this
 * record: {@link OrderRequestParser} reads the JSON itself, so that it can name every wrong field at once, and its
 * rules are the ones shown here (its own constants; the configured limits by the settings that hold them).
 */
@Schema(name = "OrderRequest", description = "An order to place", example = OrderRequest.EXAMPLE)
public record OrderRequest(
        @Schema(description = "Who orders", requiredMode = Schema.RequiredMode.REQUIRED, pattern = NOT_BLANK,
                maxLength = OrderRequestParser.MAX_TEXT)
        String customerId,
        @Schema(description = "Where the confirmation (or rejection) email goes", format = "email",
                requiredMode = Schema.RequiredMode.REQUIRED, pattern = "^" + OrderRequestParser.EMAIL_REGEX + "$",
                maxLength = OrderRequestParser.MAX_EMAIL)
        String customerEmail,
        @Schema(description = "An ISO 4217 code of a currency with minor units or none (EUR, JPY); not XAU or XXX",
                requiredMode = Schema.RequiredMode.REQUIRED, pattern = "^" + OrderRequestParser.CURRENCY_REGEX + "$")
        String currency,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
        @ArraySchema(arraySchema = @Schema(description = "What is ordered: at least one line, at most "
                + "api.max-items (50 by default)"), minItems = 1)
        List<Line> items,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
        Payment payment) {

    /** Not empty and not only spaces (the pattern is not anchored: some character that is not a space). */
    private static final String NOT_BLANK = "\\S";

    static final String EXAMPLE = "{\"customerId\":\"cust-1\",\"customerEmail\":\"ada@example.com\","
            + "\"currency\":\"EUR\","
            + "\"items\":[{\"sku\":\"BOOK-42\",\"quantity\":1,\"unitPrice\":\"12.50\"}],"
            + "\"payment\":{\"cardToken\":\"tok_visa\"}}";

    @Schema(name = "OrderRequestLine", description = "How many of a SKU, at what unit price")
    public record Line(
            @Schema(description = "Letters, digits, '.', '_' or '-'; at most 64 characters",
                    requiredMode = Schema.RequiredMode.REQUIRED, pattern = "^" + OrderRequestParser.SKU_REGEX + "$")
            String sku,
            @Schema(description = "From 1 to api.max-quantity (1000 by default)",
                    requiredMode = Schema.RequiredMode.REQUIRED, minimum = "1")
            int quantity,
            @Schema(description = "A positive decimal string (\"12.50\", never a JSON number), with no more decimals "
                    + "than the currency has", requiredMode = Schema.RequiredMode.REQUIRED,
                    pattern = "^" + OrderRequestParser.MONEY_REGEX + "$")
            String unitPrice) {
    }

    @Schema(name = "Payment", description = "How the order is paid")
    public record Payment(
            @Schema(description = "The token of the card to hold the total on",
                    requiredMode = Schema.RequiredMode.REQUIRED, pattern = NOT_BLANK, maxLength = OrderRequestParser.MAX_TEXT)
            String cardToken) {
    }
}
