package dev.ordersaga.saga;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.SagaDefinition;
import org.apache.camel.model.SagaPropagation;

import dev.ordersaga.messaging.CommandType;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.messaging.SagaCommands;

/**
 * The shape every saga step shares, so that a step is declared in one line: a {@code direct:<step>} route that joins
 * the running saga (MANDATORY), enlists its compensation, sends its command and awaits the reply; and, beside it, the
 * compensation route that sends the undo command. Route and node ids come from the command names, so Hawtio and the
 * logs show {@code reserve-inventory-step}, {@code send-reserve-inventory}, {@code release-inventory-compensation}.
 */
public abstract class SagaStepRouteBuilder extends RouteBuilder {

    private final SagaCommands commands;

    protected SagaStepRouteBuilder(SagaCommands commands) {
        this.commands = commands;
    }

    /** Starts the declaration of the step that {@code command} performs. */
    protected Step step(CommandType command) {
        return new Step(command);
    }

    /** Where the saga route calls a step or a compensation: {@code direct:reserve-inventory}. */
    public static String endpointOf(CommandType command) {
        return "direct:" + command.routeName();
    }

    public final class Step {
        private final CommandType command;

        private Step(CommandType command) {
            this.command = command;
        }

        /** A step that is undone by {@code compensation} when the saga fails. */
        public void compensatedBy(CommandType compensation) {
            stepRoute().compensation(endpointOf(compensation))
                    .process(commands.send(command)).id("send-" + command.routeName());
            from(endpointOf(compensation)).routeId(compensation.routeName() + "-compensation")
                    .process(commands.send(compensation)).id("send-" + compensation.routeName());
        }

        /** The pivot: once it succeeds nothing is undone, so it enlists no compensation. */
        public void pivot() {
            stepRoute().process(commands.send(command)).id("send-" + command.routeName());
        }

        private SagaDefinition stepRoute() {
            return from(endpointOf(command)).routeId(command.routeName() + "-step")
                    .saga().id("join-saga-" + command.routeName()).propagation(SagaPropagation.MANDATORY)
                    .option(MessageHeaders.ORDER_ID, header(MessageHeaders.ORDER_ID));
        }
    }
}
