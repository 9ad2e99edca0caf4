package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;

import dev.ordersaga.app.OpenTelemetrySetup;
import dev.ordersaga.app.Settings;
import dev.ordersaga.testsupport.InMemorySpans;

/**
 * The SDK as config/ sets it up: by default (no exporter) spans are still made, so that trace ids reach the logs and
 * the traceparent headers, and none is exported; with the SDK disabled there are none at all; an exporter named in
 * otel.traces.exporter gets the spans.
 */
class OpenTelemetrySetupTest {

    private static final Map<String, String> DEFAULTS = Map.of(
            "otel.traces.exporter", "none", "otel.metrics.exporter", "none", "otel.logs.exporter", "none",
            "otel.service.name", "order-saga-test");

    @Test
    void withNoExporterSpansAreStillMadeSoTheirIdsAreLoggedAndPropagated() {
        try (OpenTelemetrySdk sdk = OpenTelemetrySetup.start(settings(DEFAULTS))) {
            Span span = sdk.getTracer(OpenTelemetrySetup.INSTRUMENTATION_SCOPE).spanBuilder("s").startSpan();

            assertThat(span.getSpanContext().isValid()).isTrue();
            assertThat(span.getSpanContext().isSampled()).isTrue();
            span.end();
        }
    }

    @Test
    void disabledMakesNoSpanAtAll() {
        Map<String, String> disabled = new java.util.HashMap<>(DEFAULTS);
        disabled.put("otel.sdk.disabled", "true");
        try (OpenTelemetrySdk sdk = OpenTelemetrySetup.start(settings(disabled))) {
            Span span = sdk.getTracer(OpenTelemetrySetup.INSTRUMENTATION_SCOPE).spanBuilder("s").startSpan();

            assertThat(span.getSpanContext().isValid()).isFalse();
        }
    }

    @Test
    void theConfiguredExporterGetsTheSpansUnderTheConfiguredServiceName() {
        Map<String, String> inMemory = new java.util.HashMap<>(DEFAULTS);
        inMemory.put("otel.traces.exporter", InMemorySpans.EXPORTER);
        try (OpenTelemetrySdk sdk = OpenTelemetrySetup.start(settings(inMemory))) {
            Span span = sdk.getTracer(OpenTelemetrySetup.INSTRUMENTATION_SCOPE).spanBuilder("setup-test")
                    .startSpan();
            span.end();
            sdk.getSdkTracerProvider().forceFlush().join(5, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(InMemorySpans.exported()).anySatisfy(exported -> {
                assertThat(exported.getSpanId()).isEqualTo(span.getSpanContext().getSpanId());
                assertThat(exported.getResource().getAttribute(
                        io.opentelemetry.api.common.AttributeKey.stringKey("service.name")))
                        .isEqualTo("order-saga-test");
            });
        }
    }

    private static Settings settings(Map<String, String> values) {
        DefaultCamelContext camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.putAll(values);
        camel.getPropertiesComponent().setInitialProperties(properties);
        return new Settings(camel.getPropertiesComponent());
    }
}
