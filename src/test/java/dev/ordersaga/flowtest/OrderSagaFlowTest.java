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
import dev.ordersaga.domain.RejectionReason;
import dev.ordersaga.domain.StepView;
import dev.ordersaga.domain.StepView.StepStatus;
import dev.ordersaga.flow.FlowDeclaration;
import dev.ordersaga.flow.FlowStage;
import dev.ordersaga.flow.FlowStep;
import dev.ordersaga.flow.StepKind;
import dev.ordersaga.routes.OrderSagaV1;
import dev.ordersaga.saga.FinalizeRetryPolicy;
import dev.ordersaga.saga.SagaListener.SagaOutcome;

/**
 * Every path of the order saga, without a broker: each step refused, each step answered late or not at all (sent
 * again under the same correlation id until the saga's deadline), each compensation, the pivot, the confirmation
 * after it. The generic paths are derived from the declaration, so a step added to the flow is tested here without a
 * new line.
 */
class OrderSagaFlowTest {

    private static final SagaFlowTestKit KIT = SagaFlowTestKit.with(new OrderSagaV1())
            .finalizeRetries(new FinalizeRetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(1))).build();
    private static final FlowDeclaration FLOW = new OrderSagaV1().declaration();
    /** The pause before the second attempt of a step (the kit's default first backoff). */
    private static final Duration FIRST_BACKOFF = SagaFlowTestKit.RETRY_FIRST_DELAY;

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
        assertThat(saga.order().steps()).extracting(StepView::status).containsOnly(StepStatus.SUCCEEDED);
        assertThat(saga.order().flow()).isEqualTo(FLOW.version());
        assertThat(saga.order().reasonCode()).isNull();
    }

    @Test
    void aDeclinedCardRejectsTheOrderForThatReasonAndUndoesEveryStepDoneInReverseOrder() {
        KIT.start(SagaFlowTestKit.anOrder())
                .succeed("CreateOrder")
                .expect("ReserveInventory", "HoldPayment")
                .reply("ReserveInventory", Answer.success())
                .reply("HoldPayment", Answer.failure("card-declined", "card declined"))
                .compensatedInAnyOrder("ReleaseInventory", "ReleasePayment")
                .succeed("CancelOrder")
                .succeed("SendOrderRejection")
                .expectRejected(RejectionReason.PAYMENT_DECLINED);
    }

    @Test
    void anOutOfStockItemRejectsTheOrderAsOutOfStock() {
        KIT.start(SagaFlowTestKit.anOrder())
                .succeed("CreateOrder")
                .expect("ReserveInventory", "HoldPayment")
                .reply("ReserveInventory", Answer.failure("out-of-stock", "out of stock: BOOK-42 has 0"))
                .reply("HoldPayment", Answer.success())
                .compensatedInAnyOrder("ReleaseInventory", "ReleasePayment")
                .succeed("CancelOrder")
                .succeed("SendOrderRejection")
                .expectRejected(RejectionReason.OUT_OF_STOCK);
    }

    @Test
    void aFailedPivotIsCompensatedAndNoConfirmationIsSent() {
        SagaScenario saga = KIT.start(SagaFlowTestKit.anOrder())
                .succeed("CreateOrder")
                .succeed("ReserveInventory", "HoldPayment")
                .fail("ApproveOrder", "order-not-approvable")
                .compensatedInAnyOrder("ReleaseInventory", "ReleasePayment")
                .succeed("CancelOrder")
                .succeed("SendOrderRejection")
                .expectRejected(RejectionReason.COULD_NOT_BE_COMPLETED);

        assertThat(saga.commandsSent()).doesNotContain("SendOrderConfirmation");
    }

    @Test
    void aStepNotAnsweredInTimeIsSentAgainUnderTheSameCorrelationIdAndTheSagaGoesOn() {
        SagaScenario saga = KIT.start(SagaFlowTestKit.anOrder())
                .expect("CreateOrder")
                .noReplyInTime()
                .advance(FIRST_BACKOFF)
                .succeed("CreateOrder")
                .restSucceeds()
                .expectApproved();

        assertThat(saga.order().steps()).filteredOn(step -> step.name().equals("CreateOrder"))
                .extracting(StepView::attempt, StepView::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, StepStatus.TIMED_OUT),
                        org.assertj.core.groups.Tuple.tuple(2, StepStatus.SUCCEEDED));
        assertThat(saga.sent("CreateOrder")).as("sent twice, under one correlation id").hasSize(2)
                .extracting(sent -> sent.command().correlationId())
                .containsOnly(saga.sent("CreateOrder").get(0).command().correlationId());
    }

    @Test
    void aRetryableRefusalIsSentAgainAndNotTakenForARejection() {
        KIT.start(SagaFlowTestKit.anOrder())
                .succeed("CreateOrder")
                .expect("ReserveInventory", "HoldPayment")
                .reply("ReserveInventory", Answer.success())
                .reply("HoldPayment", Answer.retryableFailure("card network unavailable"))
                .advance(FIRST_BACKOFF)
                .succeed("HoldPayment")
                .succeed("ApproveOrder")
                .succeed("SendOrderConfirmation")
                .expectApproved();
    }

    @Test
    void aCommandKafkaRefusesIsSentAgain() {
        KIT.start(SagaFlowTestKit.anOrder())
                .expect("CreateOrder")
                .sendFails("CreateOrder")
                .advance(FIRST_BACKOFF)
                .succeed("CreateOrder")
                .restSucceeds()
                .expectApproved();
    }

    @Test
    void aParticipantThatNeverAnswersFailsItsStepOnlyAtTheSagasDeadline() {
        try (SagaFlowTestKit kit = SagaFlowTestKit.with(new OrderSagaV1()).stepTimeout(Duration.ofSeconds(5))
                .sagaTimeout(Duration.ofSeconds(30)).build()) {
            SagaScenario saga = kit.start(SagaFlowTestKit.anOrder()).succeed("CreateOrder")
                    .expect("ReserveInventory", "HoldPayment")
                    .reply("ReserveInventory", Answer.success());
            // HoldPayment is never answered: sent again after each timeout and pause, until the deadline
            for (int second = 0; second <= 30; second++) {
                saga.advance(Duration.ofSeconds(1));
            }
            saga.sentAgain("HoldPayment").compensatedInAnyOrder("ReleaseInventory", "ReleasePayment")
                    .succeed("CancelOrder")
                    .succeed("SendOrderRejection")
                    .expectRejected(RejectionReason.NOT_COMPLETED_IN_TIME);

            assertThat(saga.sent("HoldPayment")).as("sent again until the deadline").hasSizeGreaterThan(2)
                    .extracting(sent -> sent.command().correlationId()).containsOnly(
                            saga.sent("HoldPayment").get(0).command().correlationId());
        }
    }

    @Test
    void aCompensationThatFailsOnceIsSentAgainUnderTheSameCorrelationId() {
        SagaScenario saga = KIT.start(SagaFlowTestKit.anOrder())
                .fail("CreateOrder", "order-exists")
                .expect("CancelOrder")
                .reply("CancelOrder", Answer.retryableFailure("order-service busy"))
                .advance(Duration.ofMillis(200))
                .succeed("CancelOrder")
                .succeed("SendOrderRejection")
                .expectRejected(RejectionReason.COULD_NOT_BE_COMPLETED);

        assertThat(saga.commandsSent()).containsExactly("CreateOrder", "CancelOrder", "CancelOrder",
                "SendOrderRejection");
    }

    @Test
    void aCompensationThatFailsEveryAttemptLeavesTheOrderCompensationFailedForAnOperator() {
        SagaScenario saga = KIT.start(SagaFlowTestKit.anOrder())
                .fail("CreateOrder", "order-exists");
        // the undo fails all 3 attempts; the customer is still told, and an operator can retry the undo
        for (int attempt = 1; attempt <= 3; attempt++) {
            saga.expect("CancelOrder")
                    .reply("CancelOrder", Answer.failure("unsupported-command", "order-service away"))
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
                    .reply("SendOrderConfirmation", Answer.failure("invalid-command", "mailbox does not exist"))
                    .advance(Duration.ofSeconds(1));
        }
        saga.expectOutcome(SagaOutcome.COMPLETION_FAILED);

        assertThat(saga.order().status()).isEqualTo(OrderStatus.APPROVED);
        assertThat(saga.commandsSent()).doesNotContain("CancelOrder", "SendOrderRejection");
    }

    /** Every step inside the saga. */
    static Stream<String> everyStep() {
        List<String> steps = new ArrayList<>();
        FLOW.stages().forEach(stage -> stage.steps().forEach(step -> steps.add(step.name())));
        return steps.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyStep")
    void aStepRefusedUndoesEveryCompensableStepEnlistedBeforeItInReverseOrderAndRejectsTheOrder(String refused) {
        SagaScenario saga = KIT.start(SagaFlowTestKit.anOrder());
        List<FlowStage> enlisted = new ArrayList<>();
        for (FlowStage stage : FLOW.stages()) {
            saga.expect(commandsOf(stage));
            enlisted.add(0, stage);
            boolean refusedHere = false;
            for (FlowStep step : stage.steps()) {
                refusedHere |= step.name().equals(refused);
                saga.reply(step.command().wireName(), step.name().equals(refused)
                        ? Answer.failure("refused-in-a-test", "refused in a test") : Answer.success());
            }
            if (refusedHere) {
                break;
            }
        }
        for (FlowStage stage : enlisted) {
            String[] undos = stage.steps().stream().filter(step -> step.kind() == StepKind.COMPENSABLE)
                    .map(step -> step.compensation().orElseThrow().wireName()).toArray(String[]::new);
            saga.compensatedInAnyOrder(undos);
        }
        FLOW.onRejection().forEach(step -> saga.succeed(step.command().wireName()));
        saga.expectRejected(RejectionReason.COULD_NOT_BE_COMPLETED);

        assertThat(saga.commandsSent()).doesNotContainAnyElementsOf(
                FLOW.afterPivot().stream().map(step -> step.command().wireName()).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyStep")
    void aStepAnsweredOnlyAtItsThirdAttemptDelaysTheSagaButDoesNotRejectIt(String late) {
        SagaScenario saga = KIT.start(SagaFlowTestKit.anOrder());
        for (FlowStage stage : FLOW.stages()) {
            saga.expect(commandsOf(stage));
            for (FlowStep step : stage.steps()) {
                if (!step.name().equals(late)) {
                    saga.reply(step.command().wireName(), Answer.success());
                }
            }
            if (stage.steps().stream().anyMatch(step -> step.name().equals(late))) {
                String command = FLOW.step(late).orElseThrow().command().wireName();
                saga.noReplyInTime().advance(FIRST_BACKOFF).expect(command)
                        .noReplyInTime().advance(FIRST_BACKOFF.multipliedBy(2)).succeed(command);
            }
        }
        FLOW.afterPivot().forEach(step -> saga.succeed(step.command().wireName()));
        saga.expectApproved();
    }

    private static String[] commandsOf(FlowStage stage) {
        return stage.steps().stream().map(step -> step.command().wireName()).toArray(String[]::new);
    }
}
