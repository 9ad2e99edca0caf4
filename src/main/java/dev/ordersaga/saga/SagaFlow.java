package dev.ordersaga.saga;

import static dev.ordersaga.messaging.MessageHeaders.COMPENSATION_REASON;
import static dev.ordersaga.messaging.MessageHeaders.ORDER_ID;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.MulticastDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SagaDefinition;
import org.apache.camel.model.SagaPropagation;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.flow.FlowBuilder;
import dev.ordersaga.flow.FlowDeclaration;
import dev.ordersaga.flow.FlowStage;
import dev.ordersaga.flow.FlowStep;
import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.flow.Participant;

/**
 * One version of a saga's flow, declared in {@link #declare()} and run on Camel's Saga EIP. A subclass declares the
 * flow and nothing else; from the declaration this builds:
 * <ul>
 * <li>{@code order-saga-v1}: the saga (REQUIRES_NEW, saga id = order id, {@code saga.timeout}), calling each stage
 * in order, a parallel group as a multicast whose replies are joined ({@link AllStepsMustSucceed});</li>
 * <li>{@code <step>-step-v1} per step: joins the saga (MANDATORY), enlists the compensation endpoint of a
 * compensable step, sends the command and awaits its reply; beside it {@code <undo>-compensation-v1}, which sends
 * the undo command;</li>
 * <li>{@code order-saga-completion-v1}: the order approved, then each after-pivot step (the saga's completion: it
 * runs only once the saga completed, and is retried, never undone);</li>
 * <li>{@code order-saga-compensation-v1}: the order rejected, then each on-rejection step (the compensation of the
 * saga's own step, enlisted first, so it runs after every other compensation).</li>
 * </ul>
 * Every route and node id ends with the version ({@code -v1}), so that versions run side by side, and a saga begun
 * under one is driven and recovered only by its routes: its journal record names their endpoints.
 */
public abstract class SagaFlow extends RouteBuilder {

    private FlowBuilder flow;
    private FlowDeclaration declaration;

    /** Declares the flow: {@code flow("order-saga").version(1).step(...)...}. */
    protected abstract void declare();

    /** Starts the declaration of this flow version. */
    protected final FlowBuilder flow(String name) {
        if (flow != null) {
            throw new IllegalStateException(getClass().getSimpleName() + " declares more than one flow");
        }
        flow = new FlowBuilder(name);
        return flow;
    }

    /** A participant of the flow, by its service name. */
    protected static Participant participant(String name) {
        return new Participant(name);
    }

    /** The flow as declared; needs no Camel context. */
    public final synchronized FlowDeclaration declaration() {
        if (declaration == null) {
            declare();
            if (flow == null) {
                throw new IllegalStateException(getClass().getSimpleName() + " declares no flow");
            }
            declaration = flow.declaration();
        }
        return declaration;
    }

    /** Where a saga of this version is started (and started again by a recovery). */
    public static String startUri(FlowVersion version) {
        return "direct:run-" + version.id();
    }

    @Override
    public final void configure() {
        FlowDeclaration flow = declaration();
        SagaFlowMachinery machinery = getContext().getRegistry()
                .lookupByNameAndType(SagaFlowMachinery.REGISTRY_NAME, SagaFlowMachinery.class);
        if (machinery == null) {
            throw new IllegalStateException("Flow " + flow.version() + " cannot be built: no "
                    + SagaFlowMachinery.class.getSimpleName() + " bound as " + SagaFlowMachinery.REGISTRY_NAME);
        }
        Ids ids = new Ids(flow.version());
        // a failed step is a business outcome, not an error: the Saga EIP compensates it
        errorHandler(noErrorHandler());

        from(startUri(flow.version())).routeId(ids.of("run-" + flow.version().name())).group(flow.version().toString())
            .doTry().id(ids.of("try-saga"))
                .to(ids.direct(flow.version().name())).id(ids.of("run-saga"))
            .doCatch(Exception.class).id(ids.of("catch-rejected-order"))
                // by the time a failure comes back here, the saga has compensated it and recorded the order rejected
                .log(LoggingLevel.DEBUG, "Saga of order ${header.order-id} ended by compensation")
                    .id(ids.of("saga-compensated"))
            .end();

        ProcessorDefinition<?> saga = from(ids.direct(flow.version().name())).routeId(ids.of(flow.version().name()))
            .group(flow.version().toString())
            .saga().id(ids.of("begin-saga")).propagation(SagaPropagation.REQUIRES_NEW).timeout("{{saga.timeout}}")
                .option(ORDER_ID, header(ORDER_ID))
                .option(SagaOptions.FLOW, constant(flow.version().name()))
                .option(SagaOptions.FLOW_VERSION, constant(Integer.toString(flow.version().version())))
                .completion(ids.direct(flow.version().name() + "-completion"))
                .compensation(ids.direct(flow.version().name() + "-compensation"));
        for (FlowStage stage : flow.stages()) {
            if (stage.isParallel()) {
                MulticastDefinition group = saga.multicast(new AllStepsMustSucceed()).parallelProcessing()
                        .id(ids.of(stage.name()));
                stage.steps().forEach(step -> group.to(ids.direct(step.name())).id(ids.of(step.name())));
                saga = group.end();
            } else {
                FlowStep step = stage.steps().get(0);
                saga = saga.to(ids.direct(step.name())).id(ids.of(step.name()));
            }
        }
        flow.stages().forEach(stage -> stage.steps().forEach(step -> stepRoutes(step, stage, ids, machinery.commands())));

        // the order is approved only once the saga has completed: a saga that timed out during the pivot is
        // compensated instead, and never reaches this route
        ProcessorDefinition<?> completion = from(ids.direct(flow.version().name() + "-completion"))
            .routeId(ids.of(flow.version().name() + "-completion")).group(flow.version().toString())
            .process(exchange -> machinery.decisions().completed(orderId(exchange))).id(ids.of("mark-order-approved"));
        for (FlowStep step : flow.afterPivot()) {
            completion = completion.process(machinery.commands().send(step.command()))
                    .id(ids.of("send-" + step.command().routeName()));
        }

        ProcessorDefinition<?> compensation = from(ids.direct(flow.version().name() + "-compensation"))
            .routeId(ids.of(flow.version().name() + "-compensation")).group(flow.version().toString())
            .log("Order ${header.order-id} rejected: ${header.compensation-reason}").id(ids.of("log-rejection"))
            .process(exchange -> machinery.decisions().compensated(orderId(exchange),
                    exchange.getMessage().getHeader(COMPENSATION_REASON, String.class)))
                .id(ids.of("mark-order-rejected"));
        for (FlowStep step : flow.onRejection()) {
            compensation = compensation.process(machinery.commands().send(step.command()))
                    .id(ids.of("send-" + step.command().routeName()));
        }
    }

    /**
     * The step's route (it joins the saga, enlists its compensation, sends its command), and its compensation's. The
     * steps of a parallel group are enlisted as one journal record ({@link SagaOptions#PARALLEL_GROUP}).
     */
    private void stepRoutes(FlowStep step, FlowStage stage, Ids ids, SagaCommands commands) {
        RouteDefinition route = from(ids.direct(step.name())).routeId(ids.of(step.name() + "-step"))
                .group(ids.version.toString());
        SagaDefinition join = route.saga().id(ids.of("join-saga-" + step.name()))
                .propagation(SagaPropagation.MANDATORY)
                .option(ORDER_ID, header(ORDER_ID));
        if (stage.isParallel()) {
            join.option(SagaOptions.PARALLEL_GROUP,
                    constant(new SagaOptions.ParallelGroup(ids.of(stage.name()), stage.steps().size())));
        }
        step.compensation().ifPresent(undo -> join.compensation(ids.direct(undo.routeName())));
        join.process(commands.sendUntilAnswered(step.command(), step.retry()))
                .id(ids.of("send-" + step.command().routeName()));
        step.compensation().ifPresent(undo -> compensationRoute(undo, ids, commands));
    }

    private void compensationRoute(CommandType undo, Ids ids, SagaCommands commands) {
        from(ids.direct(undo.routeName())).routeId(ids.of(undo.routeName() + "-compensation"))
            .group(ids.version.toString())
            .process(commands.send(undo)).id(ids.of("send-" + undo.routeName()));
    }

    private static String orderId(Exchange exchange) {
        return exchange.getMessage().getHeader(ORDER_ID, String.class);
    }

    /** Route, node and endpoint names of one version: {@code name-v1}. */
    private record Ids(FlowVersion version) {
        String of(String name) {
            return name + "-v" + version.version();
        }

        String direct(String name) {
            return "direct:" + of(name);
        }
    }
}
