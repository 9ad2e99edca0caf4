package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.ordersaga.api.ApiProblem;
import dev.ordersaga.api.OrderRequestParser;
import dev.ordersaga.domain.Order;

/** Reading an order request: the total in the currency's own scale, and the limits from config. */
class OrderRequestParserTest {

    private final OrderRequestParser parser = new OrderRequestParser(3, 10);

    @Test
    void theTotalIsTheSumOfTheLinesInTheCurrencyScale() {
        Order order = parser.parse("{\"customerId\":\"c\",\"customerEmail\":\"a@b.io\",\"currency\":\"EUR\","
                + "\"items\":[{\"sku\":\"A\",\"quantity\":3,\"unitPrice\":\"0.1\"},"
                + "{\"sku\":\"B\",\"quantity\":2,\"unitPrice\":\"12.50\"}],\"payment\":{\"cardToken\":\"t\"}}",
                "o-1", Instant.EPOCH);

        assertThat(order.total().toPlainString()).isEqualTo("25.30");
        assertThat(order.orderId()).isEqualTo("o-1");
        assertThat(order.items()).hasSize(2);
    }

    @Test
    void aCurrencyWithoutMinorUnitsRefusesDecimals() {
        assertThatThrownBy(() -> parser.parse("{\"customerId\":\"c\",\"customerEmail\":\"a@b.io\",\"currency\":\"JPY\","
                + "\"items\":[{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":\"100.5\"}],\"payment\":{\"cardToken\":\"t\"}}",
                "o-2", Instant.EPOCH))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> {
                    assertThat(problem.status()).isEqualTo(400);
                    assertThat(problem.errors()).extracting(ApiProblem.FieldError::field)
                            .containsExactly("items[0].unitPrice");
                });
    }

    @Test
    void theItemAndQuantityLimitsComeFromConfig() {
        assertThatThrownBy(() -> parser.parse("{\"customerId\":\"c\",\"customerEmail\":\"a@b.io\",\"currency\":\"EUR\","
                + "\"items\":[{\"sku\":\"A\",\"quantity\":11,\"unitPrice\":\"1\"}],\"payment\":{\"cardToken\":\"t\"}}",
                "o-3", Instant.EPOCH))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> assertThat(problem.errors())
                        .extracting(ApiProblem.FieldError::message).containsExactly("must be between 1 and 10"));
    }
}
