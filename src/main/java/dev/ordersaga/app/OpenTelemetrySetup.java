package dev.ordersaga.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

import dev.ordersaga.trace.RecordingWithoutExport;

/**
 * The OpenTelemetry SDK of this process, set up by OpenTelemetry's own autoconfiguration: from the {@code otel.*}
 * settings of {@code config/} (each overridable by its environment variable, {@code otel.traces.exporter} by
 * {@code OTEL_TRACES_EXPORTER}, as every setting is) and from any other standard {@code OTEL_*} variable or
 * {@code -Dotel.*} property, which the SDK reads itself ({@code OTEL_EXPORTER_OTLP_HEADERS},
 * {@code OTEL_RESOURCE_ATTRIBUTES}, ...). By default nothing is exported and nothing reaches the network: the spans
 * are made (their ids logged, their {@code traceparent} sent on) but dropped ({@link RecordingWithoutExport}). Not
 * made global: two applications in one JVM (the tests) keep theirs
 * apart. Shut down, flushing what is buffered, when the application stops.
 */
public final class OpenTelemetrySetup {

    private static final Logger LOG = LoggerFactory.getLogger(OpenTelemetrySetup.class);

    /** The settings of config/application.properties handed to the SDK, when set. */
    static final List<String> SETTINGS = List.of(
            "otel.sdk.disabled",
            "otel.service.name",
            "otel.traces.exporter",
            "otel.metrics.exporter",
            "otel.logs.exporter",
            "otel.exporter.otlp.endpoint",
            "otel.exporter.otlp.protocol",
            "otel.traces.sampler",
            "otel.traces.sampler.arg",
            "otel.bsp.schedule.delay",
            "otel.bsp.max.queue.size");

    /** The instrumentation scope of every span the project makes. */
    public static final String INSTRUMENTATION_SCOPE = "dev.ordersaga";

    private static final String TRACES_EXPORTER = "otel.traces.exporter";
    private static final String NO_EXPORTER = "none";

    private OpenTelemetrySetup() {
    }

    /**
     * The SDK of this process. Its {@code service.instance.id} is the SDK's own (a UUID per start); an operator who
     * wants the pod's name sets {@code OTEL_RESOURCE_ATTRIBUTES=service.instance.id=$(HOSTNAME)} (the SDK then warns,
     * once, that it drops its own entity for it).
     */
    public static OpenTelemetrySdk start(Settings settings) {
        Map<String, String> configured = new LinkedHashMap<>();
        SETTINGS.forEach(key -> settings.optional(key).ifPresent(value -> configured.put(key, value)));
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> configured)
                .addTracerProviderCustomizer((tracerProvider, config) ->
                        config.getList(TRACES_EXPORTER).equals(List.of(NO_EXPORTER))
                                ? tracerProvider.addSpanProcessor(new RecordingWithoutExport()) : tracerProvider)
                // the application shuts it down when it stops (and a JVM running two of them keeps no hook per run)
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        LOG.info("Traces: exporter {}, sampler {}{}", configured.getOrDefault("otel.traces.exporter", "otlp"),
                configured.getOrDefault("otel.traces.sampler", "parentbased_always_on"),
                "otlp".equals(configured.get("otel.traces.exporter"))
                        ? " to " + configured.getOrDefault("otel.exporter.otlp.endpoint", "its default endpoint") : "");
        return sdk;
    }
}
