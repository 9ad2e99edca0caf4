package dev.ordersaga.observe;

import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.saga.UnknownFlowSagas;

/**
 * DOWN while this replica leaves sagas alone because it does not know their flow version, naming the versions. Not a
 * readiness or liveness check: the replica serves and drives everything else, and a restart would not teach it a
 * version; the cure is a replica that knows it (finish the rollout, or roll forward). Shown on {@code /observe/health}.
 */
public final class FlowVersionsCheck extends AbstractHealthCheck {

    private final UnknownFlowSagas unknownFlows;

    public FlowVersionsCheck(UnknownFlowSagas unknownFlows) {
        super("ordersaga", "flow-versions");
        this.unknownFlows = unknownFlows;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<FlowVersion, Long> left = unknownFlows.byFlow();
        if (left.isEmpty()) {
            builder.up();
            return;
        }
        builder.detail("sagas-left", unknownFlows.count());
        builder.down().message(left.entrySet().stream().map(e -> e.getValue() + " saga(s) of " + e.getKey())
                .collect(Collectors.joining(", ")) + " left for a replica that knows that flow version");
    }
}
