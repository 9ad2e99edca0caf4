package dev.ordersaga.operator;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.ordersaga.messaging.SagaMdc;

/**
 * The handler of every kind of operator action, checked complete when the orchestrator is put together: an action
 * kind without a handler stops the start, not an operator's request. As a processor it carries out the
 * {@link OperatorAction} in the body and leaves its {@link OperatorActionHandler.Outcome} there. Each is counted in
 * {@code ordersaga_operator_actions_total{kind, outcome}} ({@code carried_out}, {@code already_done},
 * {@code nothing_to_do}, or {@code failed} when its handler threw).
 */
public final class OperatorActionHandlers implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorActionHandlers.class);

    private static final String FAILED = "failed";

    private final Map<OperatorActionKind, OperatorActionHandler> handlers;
    private final MeterRegistry meters;

    public OperatorActionHandlers(Map<OperatorActionKind, OperatorActionHandler> handlers, MeterRegistry meters) {
        Set<OperatorActionKind> missing = new TreeSet<>(Set.of(OperatorActionKind.values()));
        missing.removeAll(handlers.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("No handler for the operator action(s) " + missing);
        }
        this.handlers = new EnumMap<>(handlers);
        this.meters = meters;
        for (OperatorActionKind kind : OperatorActionKind.values()) {
            for (OperatorActionHandler.Outcome outcome : OperatorActionHandler.Outcome.values()) {
                counter(kind, outcome.name().toLowerCase(Locale.ROOT));
            }
            counter(kind, FAILED);
        }
    }

    @Override
    public void process(Exchange exchange) throws InvalidPayloadException {
        OperatorAction action = exchange.getMessage().getMandatoryBody(OperatorAction.class);
        exchange.getMessage().setBody(carryOut(action));
    }

    OperatorActionHandler.Outcome carryOut(OperatorAction action) {
        OperatorActionHandler.Outcome outcome;
        try {
            outcome = handlers.get(action.kind()).carryOut(action);
        } catch (RuntimeException e) {
            counter(action.kind(), FAILED).increment();
            throw e;
        }
        counter(action.kind(), outcome.name().toLowerCase(Locale.ROOT)).increment();
        try (SagaMdc ignored = SagaMdc.forSaga(action.orderId())) {
            LOG.info("Operator action {} ({}) on order {}, taken by {} at {}: {}", action.actionId(),
                    action.kind().wireName(), action.orderId(), action.acceptedBy(), action.requestedAt(), outcome);
        }
        return outcome;
    }

    private Counter counter(OperatorActionKind kind, String outcome) {
        return Counter.builder("ordersaga.operator.actions").tag("kind", kind.wireName()).tag("outcome", outcome)
                .description("Operator actions this replica carried out (or found done, or with nothing to do)")
                .register(meters);
    }
}
