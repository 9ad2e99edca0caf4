package dev.ordersaga.flowtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.ordersaga.domain.OrderStatus;
import dev.ordersaga.domain.StepView;
import dev.ordersaga.flow.FlowDeclaration;
import dev.ordersaga.flow.FlowStage;
import dev.ordersaga.flow.FlowStep;
import dev.ordersaga.flow.StepKind;
import dev.ordersaga.routes.OrderSagaV1;
import dev.ordersaga.saga.FinalizeRetryPolicy;
import dev.ordersaga.saga.SagaListener.SagaOutcome;

/**
 * Every path of the order saga, without a broker: each step failing and timing out, each compensation, the pivot,
 * the confirmation after it, the saga's own timeout. The generic paths are derived from the declaration, so a step
 * added to the flow is tested here without a new line.
 */
class OrderSagaFlowTest {

    private static final SagaFlowTestKit KIT = SagaFlowTestKit.with(new OrderSagaV1())
            .finalizeRetries(new FinalizeRetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(1))).build();
    private static final FlowDeclaration FLOW = new OrderSagaV1().declaration();

    @AfterAll
    static void stopTheKit() {
        KIT.close();
    }

    @Test
    void anOrderEveryParticipantAcceptsIsApprovedAndThenConfirmed() {
        SagaScenario saga = KIT.start(SagaFlowTestKit.anOrder())
                .succeed("CreateOrder")
                .succeed("ReserveInventory", "HoldPayment")
                .succeed("ApproveOrder");
        saga.succeed("SendOrderConfirmation").expectApproved();

        assertThat(saga.commandsSent()).containsSubsequence("CreateOrder", "ApproveOrder", "SendOrderConfirmation");
        assertThat(saga.order().steps()).extracting(StepView::status).containsOnly(StepView.StepStatus.SUCCEEDED);
        assertThat(saga.order().flow()).isEqualTo(FLOW.version());
    }

    @Test
    void aDeclinedCardRejectsTheOrderAndUndoesEveryStepDoneInReverseOrder() {
        KIT.start(SagaFlowTestKit.anOrder())
                .succeed("CreateOrder")
                .expect("ReserveInventory", "HoldPayment")
                .reply("ReserveInventory", Answer.success())
                .reply("HoldPayment", Answer.failure("card declined"))
                .compensatedInAnyOrder("ReleaseInventory", "ReleasePayment")
                .succeed("CancelOrder")
                .succeed("SendOrderRejection")
                .expectRejected("hold-payment failed: card declined");
    }

    @Test
    void aFailedPivotIsCompensatedAndNoConfirmationIsSent() {
        SagaScenario saga = KIT.start(SagaFlowTestKit.anOrder())
                .succeed("CreateOrder")
                .succeed("ReserveInventory", "HoldPayment")
                .fail("ApproveOrder", "order cannot be approved")
                .compensatedInAnyOrder("ReleaseInventory", "ReleasePayment")
                .succeed("CancelOrder")
                .succeed("SendOrderRejection")
                .expectRejected("approve-order failed");

        assertThat(saga.commandsSent()).doesNotContain("SendOrderConfirmation");
    }

    @Test
    void aCompensationThatFailsOnceIsSentAgainUnderTheSameCorrelationId() {
        SagaScenario saga = KIT.start(SagaFlowTestKit.anOrder())
                .fail("CreateOrder", "order exists already")
                .expect("CancelOrder")
                .reply("CancelOrder", Answer.retryableFailure("order-service busy"))
                .advance(Duration.ofMillis(200))
                .succeed("CancelOrder")
                .succeed("SendOrderRejection")
                .expectRejected("create-order failed");

        assertThat(saga.commandsSent()).containsExactly("CreateOrder", "CancelOrder", "CancelOrder",
                "SendOrderRejection");
    }

    @Test
    void aCompensationThatFailsEveryAttemptLeavesTheOrderCompensationFailedForAnOperator() {
        SagaScenario saga = KIT.start(SagaFlowTestKit.anOrder())
                .fail("CreateOrder", "order exists already");
        // the undo fails all 3 attempts; the customer is still told, and an operator can retry the undo
        for (int attempt = 1; attempt <= 3; attempt++) {
            saga.expect("CancelOrder")
                    .reply("CancelOrder", Answer.failure("order-service away"))
                    .advance(Duration.ofSeconds(1));
        }
        saga.succeed("SendOrderRejection").expectOutcome(SagaOutcome.COMPENSATION_FAILED);

        assertThat(saga.order().status()).isEqualTo(OrderStatus.COMPENSATION_FAILED);
    }

    @Test
    void aConfirmationThatFailsIsRetriedAndNeverUndoesTheApprovedOrder() {
        KIT.start(SagaFlowTestKit.anOrder())
                .succeed("CreateOrder")
                .succeed("ReserveInventory", "HoldPayment")
                .succeed("ApproveOrder")
                .expect("SendOrderConfirmation")
                .reply("SendOrderConfirmation", Answer.retryableFailure("mail relay unavailable"))
                .advance(Duration.ofMillis(200))
                .succeed("SendOrderConfirmation")
                .expectApproved();
    }

    @Test
    void aConfirmationThatFailsEveryAttemptKeepsTheOrderApproved() {
        SagaScenario saga = KIT.start(SagaFlowTestKit.anOrder())
                .succeed("CreateOrder")
                .succeed("ReserveInventory", "HoldPayment")
                .succeed("ApproveOrder");
        for (int attempt = 1; attempt <= 3; attempt++) {
            saga.expect("SendOrderConfirmation")
                    .reply("SendOrderConfirmation", Answer.failure("mailbox does not exist"))
                    .advance(Duration.ofSeconds(1));
        }
        saga.expectOutcome(SagaOutcome.COMPLETION_FAILED);

        assertThat(saga.order().status()).isEqualTo(OrderStatus.APPROVED);
        assertThat(saga.commandsSent()).doesNotContain("CancelOrder", "SendOrderRejection");
    }

    @Test
    void aSagaNotEndedByItsTimeoutIsCompensated() {
        try (SagaFlowTestKit slow = SagaFlowTestKit.with(new OrderSagaV1()).stepTimeout(Duration.ofSeconds(20))
                .sagaTimeout(Duration.ofSeconds(30)).build()) {
            SagaScenario saga = slow.start(SagaFlowTestKit.anOrder())
                    .expect("CreateOrder")
                    .advance(Duration.ofSeconds(15))
                    .reply("CreateOrder", Answer.success())
                    .expect("ReserveInventory", "HoldPayment")
                    .reply("ReserveInventory", Answer.success())
                    .advance(Duration.ofSeconds(16));
            saga.compensatedInAnyOrder("ReleaseInventory", "ReleasePayment")
                    .succeed("CancelOrder")
                    .succeed("SendOrderRejection")
                    .expectRejected("saga timed out");
        }
    }

    /** Every step inside the saga, failing with a business reason, or never answering. */
    static Stream<Object[]> everyStepFailingOrTimingOut() {
        List<Object[]> paths = new ArrayList<>();
        for (FlowStage stage : FLOW.stages()) {
            for (FlowStep step : stage.steps()) {
                paths.add(new Object[] {step.name(), false});
                paths.add(new Object[] {step.name(), true});
            }
        }
        return paths.stream();
    }

    @ParameterizedTest(name = "{0}, timing out: {1}")
    @MethodSource("everyStepFailingOrTimingOut")
    void aStepThatFailsUndoesEveryCompensableStepEnlistedBeforeItInReverseOrderAndRejectsTheOrder(
            String failing, boolean timesOut) {
        SagaScenario saga = KIT.start(SagaFlowTestKit.anOrder());
        List<FlowStage> enlisted = new ArrayList<>();
        for (FlowStage stage : FLOW.stages()) {
            String[] commands = stage.steps().stream().map(step -> step.command().wireName()).toArray(String[]::new);
            saga.expect(commands);
            enlisted.add(0, stage);
            FlowStep failingHere = stage.steps().stream().filter(s -> s.name().equals(failing)).findFirst()
                    .orElse(null);
            for (FlowStep step : stage.steps()) {
                if (step != failingHere) {
                    saga.reply(step.command().wireName(), Answer.success());
                } else if (!timesOut) {
                    saga.reply(step.command().wireName(), Answer.failure("refused in a test"));
                }
            }
            if (failingHere != null) {
                if (timesOut) {
                    saga.noReplyInTime();
                }
                break;
            }
        }
        for (FlowStage stage : enlisted) {
            String[] undos = stage.steps().stream().filter(step -> step.kind() == StepKind.COMPENSABLE)
                    .map(step -> step.compensation().orElseThrow().wireName()).toArray(String[]::new);
            saga.compensatedInAnyOrder(undos);
        }
        FLOW.onRejection().forEach(step -> saga.succeed(step.command().wireName()));
        saga.expectRejected(failing + (timesOut ? " timed out" : " failed"));

        assertThat(saga.commandsSent()).doesNotContainAnyElementsOf(
                FLOW.afterPivot().stream().map(step -> step.command().wireName()).toList());
    }
}
