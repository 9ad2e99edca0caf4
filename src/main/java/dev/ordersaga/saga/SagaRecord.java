package dev.ordersaga.saga;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.ordersaga.flow.FlowVersion;

/**
 * What the journal keeps of one saga: the flow version it began under, where it stands, why, and every step it
 * enlisted with the endpoints that complete or compensate it and the option values they are called with. Enough to
 * finish the saga after a crash, under that version ({@code flow} is null in records written before flows had
 * versions: those ran what is now version 1).
 */
public record SagaRecord(String sagaId, FlowVersion flow, SagaState state, String reason, List<EnlistedStep> steps,
                         Instant updatedAt) {

    public SagaRecord {
        steps = List.copyOf(steps);
    }

    /** One enlisted step: its endpoint URIs (null when it has none) and its evaluated options. */
    public record EnlistedStep(String compensationUri, String completionUri, Map<String, String> options) {
    }

    public enum SagaState {
        RUNNING, COMPENSATING, COMPLETING, COMPENSATION_FAILED, COMPLETION_FAILED;

        /** States after which nothing runs on its own: only an operator's retry moves the saga on. */
        public boolean isFailed() {
            return this == COMPENSATION_FAILED || this == COMPLETION_FAILED;
        }
    }
}
