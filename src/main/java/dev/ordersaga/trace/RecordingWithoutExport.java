package dev.ordersaga.trace;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * A span processor that does nothing, for when no exporter is configured ({@code otel.traces.exporter=none}). The SDK
 * makes no span at all when it has no processor: no trace id, no {@code traceparent} on the commands, no id in the
 * logs. With this one spans are made and dropped as they end, so an order's log lines, here and in every participant
 * that continues its {@code traceparent}, still share one trace id. The SDK calls it neither at start nor at end.
 */
public final class RecordingWithoutExport implements SpanProcessor {

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        // nothing: isStartRequired is false
    }

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        // nothing: isEndRequired is false
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
