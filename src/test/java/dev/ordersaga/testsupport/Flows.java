package dev.ordersaga.testsupport;

import java.util.List;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.flow.FlowCatalog;
import dev.ordersaga.flow.FlowDeclaration;
import dev.ordersaga.flow.Participant;
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

    /**
     * A participant's command topic as the application names it by default: the packaged
     * {@code topics.commands-prefix} (config/application.properties), then the participant's name.
     */
    public static String defaultCommandTopic(Participant participant) {
        return participant.defaultCommandTopic(PackagedConfig.value(Participant.COMMANDS_PREFIX_PROPERTY));
    }
}
