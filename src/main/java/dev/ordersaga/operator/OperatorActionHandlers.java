package dev.ordersaga.operator;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.messaging.SagaMdc;

/**
 * The handler of every kind of operator action, checked complete when the orchestrator is put together: an action
 * kind without a handler stops the start, not an operator's request. As a processor it carries out the
 * {@link OperatorAction} in the body and leaves its {@link OperatorActionHandler.Outcome} there.
 */
public final class OperatorActionHandlers implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorActionHandlers.class);

    private final Map<OperatorActionKind, OperatorActionHandler> handlers;

    public OperatorActionHandlers(Map<OperatorActionKind, OperatorActionHandler> handlers) {
        Set<OperatorActionKind> missing = new TreeSet<>(Set.of(OperatorActionKind.values()));
        missing.removeAll(handlers.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("No handler for the operator action(s) " + missing);
        }
        this.handlers = new EnumMap<>(handlers);
    }

    @Override
    public void process(Exchange exchange) throws InvalidPayloadException {
        OperatorAction action = exchange.getMessage().getMandatoryBody(OperatorAction.class);
        exchange.getMessage().setBody(carryOut(action));
    }

    OperatorActionHandler.Outcome carryOut(OperatorAction action) {
        OperatorActionHandler.Outcome outcome = handlers.get(action.kind()).carryOut(action);
        try (SagaMdc ignored = SagaMdc.forSaga(action.orderId())) {
            LOG.info("Operator action {} ({}) on order {}, taken by {} at {}: {}", action.actionId(),
                    action.kind().wireName(), action.orderId(), action.acceptedBy(), action.requestedAt(), outcome);
        }
        return outcome;
    }
}
