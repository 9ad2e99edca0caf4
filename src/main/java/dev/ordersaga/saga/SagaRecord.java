package dev.ordersaga.saga;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.ordersaga.flow.FlowVersion;

/**
 * What the journal keeps of one saga: the flow version it began under, where it stands, why, and every step it
 * enlisted with the endpoints that complete or compensate it and the option values they are called with. Enough to
 * finish the saga after a crash, under that version ({@code flow} is null in records written before flows had
 * versions: those ran what is now version 1). {@code operatorActions} are the ids of the operator actions carried out
 * on the saga (a retry of its compensation): the journal write that carries one out names it, so an action read again
 * (after a crash, or by the partition's next owner) is recognised as done and not carried out twice.
 */
public record SagaRecord(String sagaId, FlowVersion flow, SagaState state, String reason, List<EnlistedStep> steps,
                         Instant updatedAt, List<String> operatorActions) {

    public SagaRecord {
        steps = List.copyOf(steps);
        // records written before operator actions were recorded have none
        operatorActions = operatorActions == null ? List.of() : List.copyOf(operatorActions);
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
