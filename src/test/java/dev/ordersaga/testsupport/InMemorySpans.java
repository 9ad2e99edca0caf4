package dev.ordersaga.testsupport;

import java.util.Collection;
import java.util.List;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * The span exporter the tests read: {@code otel.traces.exporter=in-memory} selects it through the SDK's own
 * autoconfiguration (found by the ServiceLoader on the test class path only), so an application under test runs its
 * real OpenTelemetry set-up and keeps what it exports here. One store for the JVM: tests tell their spans apart by
 * trace id. An application that stops does not shut it down (the next one exports here too).
 */
public final class InMemorySpans implements ConfigurableSpanExporterProvider {

    public static final String EXPORTER = "in-memory";

    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

    /** Every span exported so far, by every application of this JVM that exports here. */
    public static List<SpanData> exported() {
        return SPANS.getFinishedSpanItems();
    }

    @Override
    public SpanExporter createExporter(ConfigProperties config) {
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                return SPANS.export(spans);
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
    }

    @Override
    public String getName() {
        return EXPORTER;
    }
}
