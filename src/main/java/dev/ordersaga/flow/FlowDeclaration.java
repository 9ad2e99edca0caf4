package dev.ordersaga.flow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One version of a saga's flow, as declared: the stages that run inside the saga, in order (each one step or a
 * parallel group, the pivot last), the steps that run once the saga has completed, and those that run once it has
 * been compensated. Checked when it is made: a flow that cannot run as declared does not start.
 */
public final class FlowDeclaration {

    private final FlowVersion version;
    private final List<FlowStage> stages;
    private final List<FlowStep> afterPivot;
    private final List<FlowStep> onRejection;

    public FlowDeclaration(FlowVersion version, List<FlowStage> stages, List<FlowStep> afterPivot,
                           List<FlowStep> onRejection) {
        this.version = version;
        this.stages = List.copyOf(stages);
        this.afterPivot = List.copyOf(afterPivot);
        this.onRejection = List.copyOf(onRejection);
        check();
    }

    public FlowVersion version() {
        return version;
    }

    /** The stages inside the saga, in order; the pivot, if there is one, is the last. */
    public List<FlowStage> stages() {
        return stages;
    }

    public List<FlowStep> afterPivot() {
        return afterPivot;
    }

    public List<FlowStep> onRejection() {
        return onRejection;
    }

    /** Every step, in the order declared. */
    public List<FlowStep> steps() {
        return Stream.concat(stages.stream().flatMap(stage -> stage.steps().stream()),
                Stream.concat(afterPivot.stream(), onRejection.stream())).toList();
    }

    public Optional<FlowStep> step(String name) {
        return steps().stream().filter(step -> step.name().equals(name)).findFirst();
    }

    /** Every command of the flow, the compensations included, in the order declared. */
    public List<CommandType> commands() {
        List<CommandType> commands = new ArrayList<>();
        for (FlowStep step : steps()) {
            commands.add(step.command());
            step.compensation().ifPresent(commands::add);
        }
        return commands;
    }

    public Optional<CommandType> command(String wireName) {
        return commands().stream().filter(command -> command.wireName().equals(wireName)).findFirst();
    }

    /** The participants the flow commands, in the order it first commands them. */
    public Set<Participant> participants() {
        Set<Participant> participants = new LinkedHashSet<>();
        commands().forEach(command -> participants.add(command.participant()));
        return participants;
    }

    private void check() {
        if (stages.isEmpty()) {
            throw invalid("has no step inside the saga");
        }
        Set<String> stepNames = new HashSet<>();
        Map<String, CommandType> commandNames = new LinkedHashMap<>();
        for (FlowStep step : steps()) {
            if (!stepNames.add(step.name())) {
                throw invalid("declares step " + step.name() + " twice");
            }
            for (CommandType command : step.compensation().map(undo -> List.of(step.command(), undo))
                    .orElse(List.of(step.command()))) {
                if (commandNames.put(command.wireName(), command) != null) {
                    throw invalid("uses command " + command.wireName() + " in two steps");
                }
            }
        }
        for (int i = 0; i < stages.size(); i++) {
            for (FlowStep step : stages.get(i).steps()) {
                if (!step.kind().isForward()) {
                    throw invalid("has " + step.kind() + " step " + step.name() + " inside the saga");
                }
                boolean last = i == stages.size() - 1;
                if (step.kind() == StepKind.PIVOT && (!last || stages.get(i).isParallel())) {
                    throw invalid("has pivot " + step.name() + " that is not the last step, on its own");
                }
            }
        }
        afterPivot.forEach(step -> expectKind(step, StepKind.AFTER_PIVOT));
        onRejection.forEach(step -> expectKind(step, StepKind.ON_REJECTION));
    }

    private void expectKind(FlowStep step, StepKind kind) {
        if (step.kind() != kind) {
            throw invalid("has " + step.kind() + " step " + step.name() + " where " + kind + " steps go");
        }
    }

    private IllegalArgumentException invalid(String what) {
        return new IllegalArgumentException("Flow " + version + " " + what);
    }

    @Override
    public String toString() {
        return "flow " + version;
    }
}
