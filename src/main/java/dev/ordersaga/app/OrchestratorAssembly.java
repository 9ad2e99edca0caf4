package dev.ordersaga.app;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupListener;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.undertow.UndertowComponent;
import org.apache.camel.component.undertow.UndertowHostOptions;
import org.apache.camel.main.BaseMainSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;

import dev.ordersaga.api.HttpServerSpans;
import dev.ordersaga.api.OrderApi;
import dev.ordersaga.api.OrderRequestParser;
import dev.ordersaga.domain.OrderSnapshot;
import dev.ordersaga.flow.FlowCatalog;
import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.kafka.CompactedTopic;
import dev.ordersaga.kafka.RebalanceAwareSubscribeAdapter;
import dev.ordersaga.kafka.TopicProvisioner;
import dev.ordersaga.messaging.CommandPublisher;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.messaging.ReplyCorrelator;
import dev.ordersaga.messaging.ReplyInbox;
import dev.ordersaga.observe.FlowVersionsCheck;
import dev.ordersaga.observe.SagaMetrics;
import dev.ordersaga.operator.OperatorActionHandler;
import dev.ordersaga.operator.OperatorActionHandlers;
import dev.ordersaga.operator.OperatorActionInbox;
import dev.ordersaga.operator.OperatorActionKind;
import dev.ordersaga.operator.OperatorActionLog;
import dev.ordersaga.operator.RetryCompensation;
import dev.ordersaga.orders.FlowVersionsInUse;
import dev.ordersaga.orders.KafkaOrderStore;
import dev.ordersaga.orders.OrderBook;
import dev.ordersaga.orders.OrderPlacement;
import dev.ordersaga.orders.RejectionReasons;
import dev.ordersaga.orders.SagaProgress;
import dev.ordersaga.routes.OperatorActionsRoute;
import dev.ordersaga.routes.OrderApiRoute;
import dev.ordersaga.routes.SagaRepliesRoute;
import dev.ordersaga.saga.FinalizeRetryPolicy;
import dev.ordersaga.saga.KafkaSagaJournal;
import dev.ordersaga.saga.OrderSagaService;
import dev.ordersaga.saga.SagaTimers;
import dev.ordersaga.saga.SagaCommands;
import dev.ordersaga.saga.SagaFlow;
import dev.ordersaga.saga.SagaFlowMachinery;
import dev.ordersaga.saga.SagaJournal;
import dev.ordersaga.saga.SagaListener;
import dev.ordersaga.saga.SagaOwnership;
import dev.ordersaga.saga.SagaRecord;
import dev.ordersaga.saga.SagaTraces;
import dev.ordersaga.saga.UnknownFlowSagas;

/**
 * The orchestrator role: the order book every replica reads, the saga service that drives the sagas of the
 * partitions this replica is assigned, the commands and their replies, the flows' routes and the order API.
 */
final class OrchestratorAssembly {

    /** What the orchestrator role is made of, for tests and the start-up banner. */
    record Orchestrator(OrderBook orders, ReplyCorrelator correlator, ReplyInbox inbox, OrderSagaService sagas,
                        SagaOwnership ownership, FlowCatalog flows) {
    }

    private final Settings settings;
    private final Resources resources;
    private final KafkaClients kafka;
    private final TopicNames topics;
    private final Admin admin;
    private final MeterRegistry meters;
    private final Tracer tracer;
    private final Clock clock;

    OrchestratorAssembly(Settings settings, Resources resources, KafkaClients kafka, TopicNames topics, Admin admin,
                         MeterRegistry meters, Tracer tracer, Clock clock) {
        this.tracer = tracer;
        this.settings = settings;
        this.resources = resources;
        this.kafka = kafka;
        this.topics = topics;
        this.admin = admin;
        this.meters = meters;
        this.clock = clock;
    }

    /** @param producer this process's one producer: its journal, order, operator-action and command records */
    Orchestrator assemble(BaseMainSupport main, List<SagaFlow> flows, FlowCatalog catalog,
                          Optional<String> apiToken, KafkaProducer<String, byte[]> producer) {
        CamelContext camel = main.getCamelContext();
        ScheduledExecutorService replyTimer = SagaTimers.unbounded("reply-timeouts");
        resources.closeOnStop(replyTimer::shutdownNow);
        ExecutorService continuations = resources.unboundedPool("saga-continuations",
                settings.positiveInteger("saga.continuation-threads"));
        Duration readTimeout = kafka.readTimeout();

        SagaOwnership ownership = new SagaOwnership(TopicProvisioner.sharedPartitionCount(admin, topics.sagaTopics(),
                readTimeout.toMillis()));
        KafkaOrderStore store = resources.closeOnStop(new KafkaOrderStore(new CompactedTopic<>(producer,
                topics.orders(), kafka.readerConfig(), readTimeout, OrderSnapshot.class)));
        SagaJournal journal = new KafkaSagaJournal(new CompactedTopic<>(producer, topics.journal(),
                kafka.readerConfig(), readTimeout, SagaRecord.class));
        OrderBook orders = new OrderBook(settings.positiveInteger("orders.retained-ended"),
                settings.duration("api.idempotency-key.retention"), store, ownership, clock);
        SagaProgress progress = new SagaProgress(orders, store, ownership, clock);

        ReplyCorrelator correlator = new ReplyCorrelator(replyTimer, continuations,
                settings.positiveInteger("saga.remembered-replies"));
        CommandPublisher publisher = new CommandPublisher(producer, topics.commands(), topics.replies(), tracer);
        // the parent of a saga's spans is kept with its order, which every replica reads
        SagaTraces traces = new SagaTraces(tracer, orders::traceparentOf);
        SagaMetrics metrics = new SagaMetrics(meters, settings.durations("metrics.saga-latency-slos"));

        String flowName = settings.string("orders.flow");
        FlowVersion unversioned = catalog.oldest(flowName).version();
        FlowVersion newest = catalog.newest(flowName).version();
        UnknownFlowSagas unknownFlows = new UnknownFlowSagas();
        AssignedSagas[] assigned = new AssignedSagas[1];
        OrderSagaService sagas = new OrderSagaService(MessageHeaders.ORDER_ID, new FinalizeRetryPolicy(
                settings.positiveInteger("saga.finalize.max-attempts"),
                settings.duration("saga.finalize.first-delay"),
                settings.duration("saga.finalize.max-delay")),
                journal, ownership, continuations, new SagaListener() {
                    @Override
                    public void sagaBegun(String sagaId) {
                        metrics.sagaBegun(sagaId);
                    }

                    @Override
                    public void sagaEnded(String sagaId, SagaOutcome outcome, Duration took) {
                        progress.sagaEnded(sagaId, outcome == SagaOutcome.COMPENSATION_FAILED,
                                outcome == SagaOutcome.COMPLETION_FAILED);
                        metrics.sagaEnded(sagaId, outcome, took);
                        assigned[0].ended(sagaId);
                    }
                }, new RejectionReasons(), traces, clock);
        SagaCommands commands = new SagaCommands(publisher, correlator, ownership, orders::order,
                new SagaCommands.RetryDefaults(settings.duration("saga.step-timeout"),
                        settings.duration("saga.retry.first-delay"), settings.duration("saga.retry.max-delay")),
                sagas::isDriving, replyTimer, continuations, progress.andThen(metrics), traces, clock);
        AssignedSagas assignedSagas = new AssignedSagas(orders, progress, sagas, ownership, correlator, catalog,
                unversioned, unknownFlows, producer::flush, readTimeout);
        assigned[0] = assignedSagas;
        // the operator actions of a partition are carried out where its sagas are driven, once they are recovered
        OperatorActionInbox operatorActions = resources.closeOnStop(new OperatorActionInbox(kafka.readerConfig(),
                topics.operatorActions(), settings.string("orchestrator.operator-actions.group-id"), ownership,
                settings.duration("orchestrator.operator-actions.poll-timeout"),
                settings.duration("orchestrator.operator-actions.commit-timeout"), producer::flush));
        // every replica reads every order (GET and Idempotency-Key answer the same everywhere); the consumer group of
        // the reply topic decides which replica drives which order's saga
        orders.follow(assignedSagas);
        camel.getRegistry().bind(KafkaConstants.KAFKA_SUBSCRIBE_ADAPTER,
                new RebalanceAwareSubscribeAdapter(topics.replies(), assignedSagas.andThen(operatorActions)));
        startSagasOnceEveryRouteRuns(camel, sagas, assignedSagas, operatorActions);

        ReplyInbox inbox = new ReplyInbox(correlator, tracer);
        FlowVersionsInUse flowsInUse = new FlowVersionsInUse(catalog, orders, unknownFlows, unversioned);
        metrics.observe(sagas, correlator, inbox, ownership, catalog.declarations(), flowsInUse, unknownFlows);
        camel.getRegistry().bind("flow-versions", new FlowVersionsCheck(unknownFlows));

        camel.getRegistry().bind(SagaFlowMachinery.REGISTRY_NAME, new SagaFlowMachinery(commands, progress));
        flows.forEach(main.configure()::addRoutesBuilder);
        main.configure().addRoutesBuilder(new SagaRepliesRoute(inbox));
        // a new kind of operator action: one more OperatorActionKind and its handler here
        main.configure().addRoutesBuilder(new OperatorActionsRoute(new OperatorActionHandlers(
                Map.<OperatorActionKind, OperatorActionHandler>of(OperatorActionKind.RETRY_COMPENSATION,
                        new RetryCompensation(sagas)), meters)));
        main.configure().addRoutesBuilder(new OrderApiRoute(orderApi(camel, orders, store, newest, flowsInUse,
                ownership, sagas, new OperatorActionLog(producer, topics.operatorActions()), apiToken),
                new HttpServerSpans(tracer, "POST", OrderApi.ORDERS_PATH)));
        return new Orchestrator(orders, correlator, inbox, sagas, ownership, catalog);
    }

    private OrderApi orderApi(CamelContext camel, OrderBook orders, KafkaOrderStore store, FlowVersion newest,
                              FlowVersionsInUse flowsInUse, SagaOwnership ownership, OrderSagaService sagas,
                              OperatorActionLog operatorActions, Optional<String> apiToken) {
        // camel-undertow runs each request on a worker thread until its answer is written, even when the route is
        // asynchronous: a POST holds one while its order is written and read back, a Prefer: wait while its saga runs
        UndertowHostOptions http = new UndertowHostOptions();
        http.setWorkerThreads(settings.positiveInteger("api.worker-threads"));
        camel.getComponent("undertow", UndertowComponent.class).setHostOptions(http);
        return new OrderApi(orders, new OrderPlacement(orders, store), () -> newest, flowsInUse, ownership,
                new OrderRequestParser(settings.positiveInteger("api.max-items"),
                        settings.positiveInteger("api.max-quantity")),
                new OrderApi.Limits(settings.positiveInteger("api.max-body-bytes"),
                        settings.positiveInteger("api.max-wait-seconds"),
                        settings.positiveInteger("api.list.default-limit"),
                        settings.positiveInteger("api.list.max-limit"),
                        settings.duration("api.accept-timeout"),
                        settings.positiveInteger("api.max-sagas-in-flight")),
                operatorActions, settings.string("orchestrator.instance-id"), apiToken, clock);
    }

    /** The reply consumer joins the group only once every route runs: its first partitions start their recovery. */
    private static void startSagasOnceEveryRouteRuns(CamelContext camel, OrderSagaService sagas,
                                                     AssignedSagas assignedSagas,
                                                     OperatorActionInbox operatorActions) {
        try {
            camel.addService(sagas);
            camel.addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                    // sagas start only once every route runs
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted)
                        throws Exception {
                    assignedSagas.startWith(context.createProducerTemplate());
                    ProducerTemplate actions = context.createProducerTemplate();
                    operatorActions.start(action -> actions.requestBodyAndHeader(OperatorActionsRoute.URI, action,
                            MessageHeaders.ORDER_ID, action.orderId(), OperatorActionHandler.Outcome.class));
                    context.getRouteController().startRoute(SagaRepliesRoute.ROUTE_ID);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("Could not register the saga service and its recovery", e);
        }
    }
}
