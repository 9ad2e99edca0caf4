package dev.ordersaga.observe;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.LogDefinition;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.messaging.SagaMdc;
import dev.ordersaga.trace.TraceMdc;

/**
 * Gives the lines of a route's {@code log} nodes the saga's ids in the logging MDC (order id, correlation id, trace
 * id), from the exchange headers of the same names, and restores what the thread had once the line is written.
 * <p>
 * Only the log nodes: the code a route calls sets the ids itself where it logs ({@code SagaMdc}, {@code TraceMdc}).
 * camel-mdc did this for every node of every route, before and after each, a copy of the thread context each time:
 * about a tenth of the CPU in the benchmark's profile (bench/README.md), for the few log nodes the flows have.
 */
public final class RouteLogMdc implements InterceptStrategy {

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        return definition instanceof LogDefinition ? new WithIds(target) : target;
    }

    private static final class WithIds extends DelegateAsyncProcessor {

        WithIds(Processor log) {
            super(log);
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            Message message = exchange.getMessage();
            try (SagaMdc saga = SagaMdc.of(message.getHeader(MessageHeaders.ORDER_ID, String.class),
                    message.getHeader(MessageHeaders.CORRELATION_ID, String.class));
                 TraceMdc trace = TraceMdc.ofTraceId(message.getHeader(TraceMdc.TRACE_ID, String.class))) {
                // Camel's log node writes its line before it returns
                return super.process(exchange, callback);
            }
        }
    }
}
