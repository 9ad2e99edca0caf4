package dev.ordersaga.trace;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Message;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * The W3C trace context ({@code traceparent}, {@code tracestate}) as the project carries it: on Kafka records (the
 * messaging contract's {@code traceparent} header), on HTTP requests, and as text kept with an order's record. Always
 * W3C, whatever propagators {@code OTEL_PROPAGATORS} names: it is part of the contract other teams implement, not a
 * choice of this process. Nothing is written for a span that is not recorded (tracing off): a disabled SDK costs no
 * header.
 */
public final class TraceContext {

    /** The header, as the W3C Trace Context recommendation names it. */
    public static final String TRACEPARENT = "traceparent";

    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapSetter<Headers> KAFKA_SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private static final TextMapGetter<Headers> KAFKA_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return () -> java.util.stream.StreamSupport.stream(headers.spliterator(), false).map(Header::key)
                    .iterator();
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    /** A Camel message's headers: an HTTP request's. */
    private static final TextMapGetter<Message> CAMEL_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Message message) {
            return message.getHeaders().keySet();
        }

        @Override
        public String get(Message message, String key) {
            return message == null ? null : message.getHeader(key, String.class);
        }
    };

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceContext() {
    }

    /** Writes the context's span on the record's headers (replacing any earlier value). */
    public static void inject(Context context, Headers headers) {
        W3C.inject(context, headers, KAFKA_SETTER);
    }

    /** The context a record's sender put on it; the root context when it carries none (or a malformed one). */
    public static Context extract(Headers headers) {
        return W3C.extract(Context.root(), headers, KAFKA_GETTER);
    }

    /** The context an HTTP request carries; root when none. */
    public static Context extract(Message message) {
        return W3C.extract(Context.root(), message, CAMEL_GETTER);
    }

    /** The context as text to keep with a record: its {@code traceparent}, empty when its span is not recorded. */
    public static Optional<String> traceparent(Context context) {
        String[] written = new String[1];
        W3C.inject(context, written, (carrier, key, value) -> {
            if (TRACEPARENT.equals(key)) {
                carrier[0] = value;
            }
        });
        return Optional.ofNullable(written[0]);
    }

    /** A kept {@code traceparent} as a context to continue; root when there is none or it is malformed. */
    public static Context fromTraceparent(String traceparent) {
        return traceparent == null ? Context.root()
                : W3C.extract(Context.root(), Map.of(TRACEPARENT, traceparent), MAP_GETTER);
    }
}
