package dev.ordersaga.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Declares a flow as a chain that reads top to bottom, each step with its participant, its command and, beside it,
 * its compensation:
 * <pre>
 * flow("order-saga").version(1)
 *     .step("create-order").invoke(orderService, "CreateOrder").compensateWith("CancelOrder")
 *     .inParallel("reserve-inventory-and-hold-payment")
 *         .step("reserve-inventory").invoke(inventoryService, "ReserveInventory").compensateWith("ReleaseInventory")
 *         .step("hold-payment").invoke(paymentService, "HoldPayment").compensateWith("ReleasePayment")
 *     .endParallel()
 *     .pivot("approve-order").invoke(orderService, "ApproveOrder")
 *     .afterPivot("send-order-confirmation").invoke(notificationService, "SendOrderConfirmation")
 *     .onRejection("send-order-rejection").invoke(notificationService, "SendOrderRejection");
 * </pre>
 * A step that cannot be undone is a {@code check}; {@code step} always asks for its compensation.
 */
public final class FlowBuilder extends ForwardSteps<FlowBuilder> {

    private final String name;
    private int version;
    private final List<FlowStage> stages = new ArrayList<>();
    private final List<FlowStep> afterPivot = new ArrayList<>();
    private final List<FlowStep> onRejection = new ArrayList<>();

    public FlowBuilder(String name) {
        this.name = name;
    }

    public FlowBuilder version(int version) {
        this.version = version;
        return this;
    }

    /** Steps that run at once, side by side; the saga goes on once every one of them has answered. */
    public ParallelGroup inParallel(String groupName) {
        return new ParallelGroup(groupName, this);
    }

    /** The point of no return: once it succeeds the saga completes. */
    public Invoke<FlowBuilder> pivot(String stepName) {
        return new Invoke<>(this, stepName, StepKind.PIVOT, step -> stages.add(new FlowStage(stepName, List.of(step))));
    }

    /** A step run once the saga has completed: retried until it succeeds, never undone. */
    public Invoke<FlowBuilder> afterPivot(String stepName) {
        return new Invoke<>(this, stepName, StepKind.AFTER_PIVOT, afterPivot::add);
    }

    /** A step run once the saga has been compensated (the order rejected): retried, never undone. */
    public Invoke<FlowBuilder> onRejection(String stepName) {
        return new Invoke<>(this, stepName, StepKind.ON_REJECTION, onRejection::add);
    }

    @Override
    void add(FlowStep step) {
        stages.add(new FlowStage(step.name(), List.of(step)));
    }

    public FlowDeclaration declaration() {
        return new FlowDeclaration(new FlowVersion(name, version), stages, afterPivot, onRejection);
    }

    /** A parallel group being declared. */
    public static final class ParallelGroup extends ForwardSteps<ParallelGroup> {
        private final String name;
        private final FlowBuilder flow;
        private final List<FlowStep> steps = new ArrayList<>();

        private ParallelGroup(String name, FlowBuilder flow) {
            this.name = name;
            this.flow = flow;
        }

        @Override
        void add(FlowStep step) {
            steps.add(step);
        }

        public FlowBuilder endParallel() {
            flow.stages.add(new FlowStage(name, steps));
            return flow;
        }
    }

    /** A step that sends one command, to be named with its participant. */
    public static final class Invoke<B> {
        private final B next;
        private final String stepName;
        private final StepKind kind;
        private final Consumer<FlowStep> declared;
        private StepRetry retry = StepRetry.DEFAULTS;

        Invoke(B next, String stepName, StepKind kind, Consumer<FlowStep> declared) {
            this.next = next;
            this.stepName = stepName;
            this.kind = kind;
            this.declared = declared;
        }

        /** How the step is sent again after a transient failure, when not as config says. */
        public Invoke<B> retrying(StepRetry how) {
            this.retry = how;
            return this;
        }

        public B invoke(Participant participant, String command) {
            declared.accept(new FlowStep(stepName, kind,
                    new CommandType(command, participant, stepName, CommandType.Phase.DO), Optional.empty(), retry));
            return next;
        }
    }

    /** A compensable step: its command, then its compensation. */
    public static final class CompensableStep<B extends ForwardSteps<B>> {
        private final B next;
        private final String stepName;
        private StepRetry retry = StepRetry.DEFAULTS;

        CompensableStep(B next, String stepName) {
            this.next = next;
            this.stepName = stepName;
        }

        /** How the step is sent again after a transient failure, when not as config says. */
        public CompensableStep<B> retrying(StepRetry how) {
            this.retry = how;
            return this;
        }

        public Compensation<B> invoke(Participant participant, String command) {
            return new Compensation<>(next, stepName, new CommandType(command, participant, stepName,
                    CommandType.Phase.DO), retry);
        }
    }

    /** The compensation of a compensable step, sent to the same participant. */
    public static final class Compensation<B extends ForwardSteps<B>> {
        private final B next;
        private final String stepName;
        private final CommandType command;
        private final StepRetry retry;

        private Compensation(B next, String stepName, CommandType command, StepRetry retry) {
            this.next = next;
            this.stepName = stepName;
            this.command = command;
            this.retry = retry;
        }

        public B compensateWith(String compensation) {
            next.add(new FlowStep(stepName, StepKind.COMPENSABLE, command, Optional.of(new CommandType(compensation,
                    command.participant(), stepName, CommandType.Phase.UNDO)), retry));
            return next;
        }
    }
}
