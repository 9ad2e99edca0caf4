package dev.ordersaga.trace;

import org.slf4j.MDC;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * Puts a span's trace id and span id into the logging MDC (keys {@code trace_id} and {@code span_id}, which the log
 * layouts of {@code config/} print), so that a log line can be found from its trace and the reverse; restores what
 * the thread had on close. A span that is not recorded puts nothing.
 */
public final class TraceMdc implements AutoCloseable {

    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    private final String previousTraceId;
    private final String previousSpanId;

    private TraceMdc(SpanContext span) {
        previousTraceId = MDC.get(TRACE_ID);
        previousSpanId = MDC.get(SPAN_ID);
        if (span.isValid()) {
            MDC.put(TRACE_ID, span.getTraceId());
            MDC.put(SPAN_ID, span.getSpanId());
        }
    }

    public static TraceMdc of(Span span) {
        return new TraceMdc(span.getSpanContext());
    }

    /** Only a trace id, as an exchange header carries it; null takes the thread's out. The span id is left alone. */
    public static TraceMdc ofTraceId(String traceId) {
        return new TraceMdc(traceId);
    }

    private TraceMdc(String traceId) {
        previousTraceId = MDC.get(TRACE_ID);
        previousSpanId = MDC.get(SPAN_ID);
        putOrRemove(TRACE_ID, traceId);
    }

    /** Forgets the ids a thread was left with (an HTTP worker's previous request). */
    public static void clear() {
        MDC.remove(TRACE_ID);
        MDC.remove(SPAN_ID);
    }

    @Override
    public void close() {
        putOrRemove(TRACE_ID, previousTraceId);
        putOrRemove(SPAN_ID, previousSpanId);
    }

    private static void putOrRemove(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
