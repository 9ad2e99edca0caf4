package dev.ordersaga.testsupport;

import java.util.List;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.flow.FlowCatalog;
import dev.ordersaga.flow.FlowDeclaration;
import dev.ordersaga.saga.SagaFlows;

/** The flows the application declares (the default {@code flows.packages}), for tests that need their commands. */
public final class Flows {

    public static final String APPLICATION_PACKAGES = "dev.ordersaga.routes";

    private static final FlowCatalog CATALOG = SagaFlows.catalog(SagaFlows.discover(List.of(APPLICATION_PACKAGES)));

    private Flows() {
    }

    public static FlowCatalog catalog() {
        return CATALOG;
    }

    /** The newest version of the order saga: what new orders run. */
    public static FlowDeclaration orderSaga() {
        return CATALOG.newest("order-saga");
    }

    public static CommandType command(String wireName) {
        return CATALOG.command(wireName).orElseThrow(() -> new IllegalArgumentException("No command " + wireName));
    }
}
