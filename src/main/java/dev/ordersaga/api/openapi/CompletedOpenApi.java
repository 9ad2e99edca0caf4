package dev.ordersaga.api.openapi;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.openapi.OpenApiRestApiProcessorFactory;
import org.apache.camel.openapi.RestModelConverters;
import org.apache.camel.spi.RestApiProcessorFactory;
import org.apache.camel.spi.RestConfiguration;

import io.swagger.v3.core.converter.ModelConverters;

/**
 * The OpenAPI document of the REST DSL as camel-openapi-java generates it, completed by {@link OpenApiCompletion}.
 * Bound in the registry: camel-rest's API endpoint ({@code camel.rest.api-context-path}) uses the one
 * RestApiProcessorFactory it finds there.
 */
public final class CompletedOpenApi implements RestApiProcessorFactory {

    private final RestApiProcessorFactory generator = new OpenApiRestApiProcessorFactory();

    @Override
    public Processor createApiProcessor(CamelContext camel, String contextPath, RestConfiguration configuration,
                                        Map<String, Object> parameters) throws Exception {
        describeMoneyAsDecimalStrings();
        return new OpenApiCompletion(generator.createApiProcessor(camel, contextPath, configuration, parameters),
                camel);
    }

    /**
     * Puts {@link MoneyAsDecimalString} first among the schema generator's converters (shared by the whole JVM).
     * Camel adds its own converter to them when RestModelConverters is loaded, and would put it first otherwise.
     */
    private static synchronized void describeMoneyAsDecimalStrings() {
        new RestModelConverters(false);
        ModelConverters converters = ModelConverters.getInstance();
        if (converters.getConverters().stream().noneMatch(MoneyAsDecimalString.class::isInstance)) {
            converters.addConverter(new MoneyAsDecimalString());
        }
    }
}
