package dev.ordersaga.api.openapi;

import java.math.BigDecimal;
import java.util.Iterator;

import com.fasterxml.jackson.databind.type.TypeFactory;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;

/**
 * Describes amounts as the API writes them: {@code dev.ordersaga.json.Json} writes every BigDecimal as a decimal
 * string ("12.50"), while the schema generator, which reads classes with its own plain ObjectMapper, would call them
 * JSON numbers.
 */
final class MoneyAsDecimalString implements ModelConverter {

    /** What {@link BigDecimal#toPlainString()} writes for an amount, which is never negative. */
    static final String DECIMAL_STRING = "^\\d+(\\.\\d+)?$";

    @Override
    public Schema<?> resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        if (type.getType() != null
                && BigDecimal.class.equals(TypeFactory.defaultInstance().constructType(type.getType()).getRawClass())) {
            return new StringSchema().pattern(DECIMAL_STRING).example("12.50");
        }
        return chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
    }
}
