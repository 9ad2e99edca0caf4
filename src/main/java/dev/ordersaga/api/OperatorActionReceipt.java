package dev.ordersaga.api;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

import dev.ordersaga.operator.OperatorAction;

/**
 * The answer to an operator action the API has taken: it is recorded, and the replica that owns the order carries it
 * out, once; the order (at {@code Location}) shows the outcome.
 */
@Schema(name = "OperatorActionReceipt", description = "An operator action, recorded: the replica that drives the "
        + "order's saga carries it out, once; follow the order at Location for the outcome")
public record OperatorActionReceipt(
        @Schema(description = "The action's id, named in the orchestrator's logs when it is carried out",
                requiredMode = Schema.RequiredMode.REQUIRED) String actionId,
        @Schema(description = "What was asked", example = "retry-compensation",
                requiredMode = Schema.RequiredMode.REQUIRED) String action,
        @Schema(description = "The order it is about", requiredMode = Schema.RequiredMode.REQUIRED) String orderId,
        @Schema(description = "ACCEPTED: recorded, to be carried out by the replica that drives the order's saga",
                example = "ACCEPTED", requiredMode = Schema.RequiredMode.REQUIRED) String status,
        @Schema(description = "When it was taken", requiredMode = Schema.RequiredMode.REQUIRED) Instant requestedAt) {

    static final String ACCEPTED = "ACCEPTED";

    static OperatorActionReceipt of(OperatorAction action) {
        return new OperatorActionReceipt(action.actionId(), action.kind().wireName(), action.orderId(), ACCEPTED,
                action.requestedAt());
    }
}
