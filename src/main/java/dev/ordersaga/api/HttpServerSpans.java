package dev.ordersaga.api;

import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

import dev.ordersaga.trace.SpanAttributes;
import dev.ordersaga.trace.TraceContext;
import dev.ordersaga.trace.TraceMdc;

/**
 * The server span of each request a route answers ({@code POST /api/orders}): the root of the order's trace, or a
 * child of the client's span when the request carries a W3C {@code traceparent}. It begins when the route takes the
 * exchange and ends when the answer is decided, with its status code (a 5xx marks it failed); meanwhile its ids are
 * in the logging MDC of the worker thread, and {@link #traceparentOf} gives what the order keeps for its saga.
 */
public final class HttpServerSpans extends RoutePolicySupport {

    private static final String SPAN_PROPERTY = "order-saga.server-span";
    private static final int FIRST_SERVER_ERROR = 500;

    private final Tracer tracer;
    private final String method;
    private final String route;

    /** @param route the path template, as the span's name and {@code http.route} show it */
    public HttpServerSpans(Tracer tracer, String method, String route) {
        this.tracer = tracer;
        this.method = method;
        this.route = route;
    }

    @Override
    public void onExchangeBegin(Route camelRoute, Exchange exchange) {
        Context parent = TraceContext.extract(exchange.getMessage());
        Span span = tracer.spanBuilder(method + " " + route).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(SpanAttributes.HTTP_METHOD, method)
                .setAttribute(SpanAttributes.HTTP_ROUTE, route)
                .startSpan();
        exchange.setProperty(SPAN_PROPERTY, span);
        // closed by the next request's TraceMdc.clear() on this worker: the answer may be written on another thread
        TraceMdc.of(span);
    }

    @Override
    public void onExchangeDone(Route camelRoute, Exchange exchange) {
        Span span = exchange.getProperty(SPAN_PROPERTY, Span.class);
        if (span == null) {
            return;
        }
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null) {
            span.setAttribute(SpanAttributes.HTTP_STATUS, status.longValue());
            if (status >= FIRST_SERVER_ERROR) {
                span.setStatus(StatusCode.ERROR);
            }
        }
        span.end();
    }

    /** The request's span as a {@code traceparent} to keep with what it creates; empty when it is not traced. */
    public static Optional<String> traceparentOf(Exchange exchange) {
        Span span = exchange.getProperty(SPAN_PROPERTY, Span.class);
        return span == null ? Optional.empty() : TraceContext.traceparent(Context.root().with(span));
    }
}
