package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.flow.FlowBuilder;
import dev.ordersaga.flow.FlowCatalog;
import dev.ordersaga.flow.FlowDeclaration;
import dev.ordersaga.flow.FlowStep;
import dev.ordersaga.flow.Participant;
import dev.ordersaga.flow.StepKind;
import dev.ordersaga.testsupport.Flows;

/**
 * A flow as declared: the contract's names that follow from it (deterministic correlation ids, route names), and the
 * declarations that are refused because they could not run as written.
 */
class FlowDeclarationTest {

    private static final Participant ORDERS = new Participant("order-service");
    private static final Participant PAYMENTS = new Participant("payment-service");

    @Test
    void correlationIdIsDeterministicPerSagaStepAndPhase() {
        assertThat(Flows.command("ReserveInventory").correlationId("o-1")).isEqualTo("o-1:reserve-inventory:do");
        assertThat(Flows.command("ReleaseInventory").correlationId("o-1")).isEqualTo("o-1:reserve-inventory:undo");
        assertThat(Flows.command("HoldPayment").correlationId("o-1"))
                .isEqualTo(Flows.command("HoldPayment").correlationId("o-1"))
                .isNotEqualTo(Flows.command("HoldPayment").correlationId("o-2"));
        assertThat(Flows.command("SendOrderRejection").correlationId("o-1")).isEqualTo("o-1:send-order-rejection:do");
    }

    @Test
    void routeNamesAreTheWireNamesInKebabCase() {
        assertThat(Flows.command("SendOrderConfirmation").routeName()).isEqualTo("send-order-confirmation");
        assertThat(Flows.command("ReleasePayment").routeName()).isEqualTo("release-payment");
    }

    @Test
    void theOrderSagaReadsAsDeclared() {
        FlowDeclaration flow = Flows.orderSaga();

        assertThat(flow.stages()).extracting(stage -> stage.steps().stream().map(FlowStep::name).toList())
                .containsExactly(List.of("create-order"), List.of("reserve-inventory", "hold-payment"),
                        List.of("approve-order"));
        assertThat(flow.steps()).extracting(FlowStep::kind).containsExactly(StepKind.COMPENSABLE,
                StepKind.COMPENSABLE, StepKind.COMPENSABLE, StepKind.PIVOT, StepKind.AFTER_PIVOT,
                StepKind.ON_REJECTION);
        assertThat(flow.participants()).extracting(Participant::name).containsExactly("order-service",
                "inventory-service", "payment-service", "notification-service");
        assertThat(flow.commands()).extracting(CommandType::wireName).containsExactly("CreateOrder", "CancelOrder",
                "ReserveInventory", "ReleaseInventory", "HoldPayment", "ReleasePayment", "ApproveOrder",
                "SendOrderConfirmation", "SendOrderRejection");
        assertThat(flow.command("CancelOrder").orElseThrow().phase()).isEqualTo(CommandType.Phase.UNDO);
    }

    @Test
    void aCheckHasNothingToUndoAndAParallelGroupMayHoldAnyNumberOfSteps() {
        FlowDeclaration flow = new FlowBuilder("checked").version(1)
                .check("fraud-check").invoke(new Participant("fraud-service"), "CheckFraud")
                .inParallel("three-at-once")
                    .step("a").invoke(ORDERS, "DoA").compensateWith("UndoA")
                    .check("b").invoke(ORDERS, "CheckB")
                    .step("c").invoke(PAYMENTS, "DoC").compensateWith("UndoC")
                .endParallel()
                .pivot("commit").invoke(ORDERS, "Commit")
                .declaration();

        assertThat(flow.step("fraud-check").orElseThrow().kind()).isEqualTo(StepKind.CHECK);
        assertThat(flow.step("fraud-check").orElseThrow().compensation()).isEmpty();
        assertThat(flow.stages().get(1).steps()).hasSize(3);
        assertThat(flow.stages().get(1).isParallel()).isTrue();
    }

    @Test
    void aPivotMustBeTheLastStepInsideTheSagaAndOnItsOwn() {
        assertThatThrownBy(() -> new FlowBuilder("late-pivot").version(1)
                .pivot("commit").invoke(ORDERS, "Commit")
                .step("after").invoke(ORDERS, "DoAfter").compensateWith("UndoAfter")
                .declaration())
                .hasMessageContaining("pivot commit that is not the last step");
    }

    @Test
    void aStepOrACommandDeclaredTwiceIsRefused() {
        assertThatThrownBy(() -> new FlowBuilder("twice").version(1)
                .step("a").invoke(ORDERS, "DoA").compensateWith("UndoA")
                .step("a").invoke(ORDERS, "DoB").compensateWith("UndoB")
                .declaration())
                .hasMessageContaining("declares step a twice");
        assertThatThrownBy(() -> new FlowBuilder("twice").version(1)
                .step("a").invoke(ORDERS, "DoA").compensateWith("UndoA")
                .check("b").invoke(ORDERS, "DoA")
                .declaration())
                .hasMessageContaining("uses command DoA in two steps");
    }

    @Test
    void aCommandKeepsItsParticipantStepAndPhaseAcrossVersions() {
        FlowDeclaration v1 = new FlowBuilder("flow").version(1)
                .step("hold").invoke(PAYMENTS, "Hold").compensateWith("Release").declaration();
        FlowDeclaration v2 = new FlowBuilder("flow").version(2)
                .step("hold-card").invoke(PAYMENTS, "Hold").compensateWith("Release").declaration();

        assertThatThrownBy(() -> new FlowCatalog(List.of(v1, v2)))
                .hasMessageContaining("Command Hold means payment-service/hold/DO in one flow and "
                        + "payment-service/hold-card/DO in flow v2");
    }

    @Test
    void newOrdersStartOnTheNewestVersionAndEveryVersionIsKept() {
        FlowDeclaration v1 = new FlowBuilder("flow").version(1)
                .step("hold").invoke(PAYMENTS, "Hold").compensateWith("Release").declaration();
        FlowDeclaration v2 = new FlowBuilder("flow").version(2)
                .check("check").invoke(ORDERS, "Check")
                .step("hold").invoke(PAYMENTS, "Hold").compensateWith("Release").declaration();
        FlowCatalog catalog = new FlowCatalog(List.of(v2, v1));

        assertThat(catalog.newest("flow")).isSameAs(v2);
        assertThat(catalog.oldest("flow")).isSameAs(v1);
        assertThat(catalog.knows(v1.version())).isTrue();
        assertThat(catalog.commandsOf(ORDERS)).extracting(CommandType::wireName).containsExactly("Check");
        assertThat(catalog.participants()).containsExactlyInAnyOrder(ORDERS, PAYMENTS);
    }

    @Test
    void namesThatCannotBeTopicsOrRouteIdsAreRefused() {
        assertThatThrownBy(() -> new Participant("Payment Service")).hasMessageContaining("lower-case words");
        assertThatThrownBy(() -> new FlowBuilder("flow").version(1).check("x").invoke(ORDERS, "do-it"))
                .hasMessageContaining("UpperCamelCase");
        assertThatThrownBy(() -> new FlowBuilder("flow").version(0).check("x").invoke(ORDERS, "X").declaration())
                .hasMessageContaining("counts from 1");
    }
}
