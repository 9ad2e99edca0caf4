package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.observe.FlowVersionsCheck;
import dev.ordersaga.saga.UnknownFlowSagas;

/** The health check that tells an operator a replica leaves sagas of a flow version it does not know. */
class FlowVersionsCheckTest {

    private final UnknownFlowSagas unknown = new UnknownFlowSagas();
    private final FlowVersionsCheck check = new FlowVersionsCheck(unknown);

    FlowVersionsCheckTest() {
        check.setCamelContext(new DefaultCamelContext());
    }

    @Test
    void upWhileEverySagaHereRunsUnderAKnownVersion() {
        assertThat(check.call(Map.of()).getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(check.isReadiness()).isFalse();
        assertThat(check.isLiveness()).isFalse();
    }

    @Test
    void downNamingTheVersionWhileSagasAreLeftAndUpOnceTheirPartitionsMoveOn() {
        unknown.leave("o-1", new FlowVersion("order-saga", 3));
        unknown.leave("o-2", new FlowVersion("order-saga", 3));
        unknown.leave("o-2", new FlowVersion("order-saga", 3));

        HealthCheck.Result down = check.call(Map.of());
        assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(down.getMessage()).hasValueSatisfying(message -> assertThat(message).contains("2 saga(s) of order-saga v3 left for a replica that knows"));
        assertThat(unknown.byFlow()).containsEntry(new FlowVersion("order-saga", 3), 2L);

        unknown.release(sagaId -> true);
        assertThat(check.call(Map.of()).getState()).isEqualTo(HealthCheck.State.UP);
    }
}
