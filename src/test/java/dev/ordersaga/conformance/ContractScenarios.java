package dev.ordersaga.conformance;

import static dev.ordersaga.conformance.Step.again;
import static dev.ordersaga.conformance.Step.answered;
import static dev.ordersaga.conformance.Step.fails;
import static dev.ordersaga.conformance.Step.refused;
import static dev.ordersaga.conformance.Step.succeeds;
import static dev.ordersaga.conformance.Step.unparseable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ordersaga.conformance.Step.OrderSpec;
import dev.ordersaga.flow.CommandType;
import dev.ordersaga.flow.CommandType.Phase;
import dev.ordersaga.flow.FlowCatalog;
import dev.ordersaga.flow.Participant;

/**
 * The checks every participant must pass, derived from the commands the declared flows send it: a repeat of each
 * command gets its first answer; the undo of each step, sent before its do, is a success and the late do is refused;
 * a command it does not handle, one without its order or with one that cannot be read, and a record that is not JSON
 * are answered (or skipped) as the contract says; one whose headers disagree with its body is answered as its body
 * says; and across its restart, all of that still holds for commands answered before it.
 */
final class ContractScenarios {

    /** A command name no flow declares. */
    static final String UNSUPPORTED = "NoSuchCommand";

    private final List<CommandType> doCommands = new ArrayList<>();
    private final List<CommandType> commands;
    private final OrderSpec validOrder;

    ContractScenarios(FlowCatalog flows, Participant participant, OrderSpec validOrder) {
        this.commands = flows.commands().stream().filter(c -> c.participant().equals(participant)).toList();
        commands.stream().filter(c -> c.phase() == Phase.DO).forEach(doCommands::add);
        this.validOrder = validOrder;
    }

    List<Scenario> scenarios() {
        List<Scenario> scenarios = new ArrayList<>();
        for (CommandType command : doCommands) {
            List<Step> steps = new ArrayList<>(List.of(answered(command.wireName(), "a", validOrder),
                    again(command.wireName(), "a")));
            undoOf(command).ifPresent(undo -> steps.addAll(List.of(succeeds(undo.wireName(), "a", validOrder),
                    again(undo.wireName(), "a"))));
            scenarios.add(new Scenario("a repeated " + command + " gets its first answer and applies nothing twice",
                    steps, List.of()));
            undoOf(command).ifPresent(undo -> scenarios.add(Scenario.of("a " + undo + " before its " + command
                            + " is a success, remembered: the late " + command + " is refused",
                    succeeds(undo.wireName(), "u", validOrder),
                    refused(command.wireName(), "u", validOrder),
                    again(command.wireName(), "u"),
                    again(undo.wireName(), "u"))));
        }
        CommandType first = doCommands.get(0);
        scenarios.add(Scenario.of("a command it does not handle is answered FAILURE unsupported-command",
                fails(UNSUPPORTED, "a", validOrder, "unsupported-command"),
                again(UNSUPPORTED, "a")));
        scenarios.add(Scenario.of("a " + first + " without its order is answered FAILURE invalid-command",
                fails(first.wireName(), "a", null, "invalid-command"),
                again(first.wireName(), "a")));
        scenarios.add(Scenario.of("a " + first + " whose order cannot be read is answered FAILURE invalid-command",
                fails(first.wireName(), "a", OrderSpec.UNREADABLE, "invalid-command")));
        List<Step> disagreeing = new ArrayList<>(List.of(
                Step.withHeadersDisagreeing(first.wireName(), "a", validOrder), again(first.wireName(), "a")));
        undoOf(first).ifPresent(undo -> disagreeing.add(succeeds(undo.wireName(), "a", validOrder)));
        scenarios.add(new Scenario("a " + first + " whose headers disagree with its body is answered as its body says",
                disagreeing, List.of()));
        List<Step> skipped = new ArrayList<>(List.of(unparseable("a"), answered(first.wireName(), "a", validOrder)));
        undoOf(first).ifPresent(undo -> skipped.add(succeeds(undo.wireName(), "a", validOrder)));
        scenarios.add(new Scenario("a record that is not JSON is skipped, and the next command answered", skipped,
                List.of()));
        return scenarios;
    }

    /** Before the restart: a do and an undo before its do, of every step; after it, their first answers again. */
    Scenario restart(Scenario ofParticipant) {
        List<Step> before = new ArrayList<>(ofParticipant.steps());
        List<Step> after = new ArrayList<>(ofParticipant.afterRestart());
        for (CommandType command : doCommands) {
            String done = "done-" + command.step();
            String undone = "undone-" + command.step();
            before.add(answered(command.wireName(), done, validOrder));
            after.add(again(command.wireName(), done));
            undoOf(command).ifPresent(undo -> {
                before.add(succeeds(undo.wireName(), undone, validOrder));
                after.add(again(undo.wireName(), undone));
                after.add(refused(command.wireName(), undone, validOrder));
                after.add(succeeds(undo.wireName(), done, validOrder));
            });
        }
        return Scenario.acrossRestart("answers, state and undone steps outlive the restart ("
                + ofParticipant.name() + ")", before, after);
    }

    private Optional<CommandType> undoOf(CommandType command) {
        return commands.stream().filter(c -> c.phase() == Phase.UNDO && c.step().equals(command.step())).findFirst();
    }
}
