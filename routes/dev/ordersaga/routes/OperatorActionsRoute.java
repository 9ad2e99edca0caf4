package dev.ordersaga.routes;

import org.apache.camel.builder.RouteBuilder;

import dev.ordersaga.operator.OperatorActionHandlers;

/**
 * The operator actions this replica carries out: those of the orders whose partitions it owns, read from the
 * operator-action topic by {@code OperatorActionInbox}, whichever replica took them. Each is handed to the handler of
 * its kind; the route answers with what became of it.
 */
public class OperatorActionsRoute extends RouteBuilder {

    public static final String URI = "direct:operator-action";
    public static final String ROUTE_ID = "operator-actions";

    private final OperatorActionHandlers handlers;

    public OperatorActionsRoute(OperatorActionHandlers handlers) {
        this.handlers = handlers;
    }

    @Override
    public void configure() {
        from(URI).routeId(ROUTE_ID)
            .process(handlers).id("carry-out-operator-action");
    }
}
