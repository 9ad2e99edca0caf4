package dev.ordersaga.app;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.Tracer;

import dev.ordersaga.api.BodyLimitedUndertowComponent;
import dev.ordersaga.api.RequestBodyLimit;
import dev.ordersaga.flow.FlowCatalog;
import dev.ordersaga.kafka.TopicProvisioner;
import dev.ordersaga.observe.KafkaReadinessCheck;
import dev.ordersaga.observe.ManagementServerWithCredentials;
import dev.ordersaga.observe.RouteLogMdc;
import dev.ordersaga.observe.RouteMetrics;
import dev.ordersaga.participants.ReferenceParticipants;
import dev.ordersaga.routes.ParticipantRoutes;
import dev.ordersaga.routes.SagaRepliesRoute;
import dev.ordersaga.saga.SagaFlow;
import dev.ordersaga.saga.SagaFlows;

/**
 * Puts the application together from its settings, once Camel has read them and before it configures its
 * components: the flows (found in {@code flows.packages}), the Kafka cluster (or the embedded broker, when asked
 * for) and its topics, the orchestrator and/or the reference participants, and readiness. Everything it opens, it
 * closes when Camel stops.
 */
final class ApplicationAssembly extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationAssembly.class);
    /** The client id of the process's one producer (what the broker's metrics and quotas name). */
    static final String PRODUCER_CLIENT_ID = "order-saga-writes";

    private final Clock clock = Clock.systemUTC();
    private final Resources resources = new Resources();
    private final CountDownLatch camelStopped = new CountDownLatch(1);
    private Settings settings;
    private String bootstrapServers;
    private Admin admin;
    private OrchestratorAssembly.Orchestrator orchestrator;
    private ReferenceParticipants participants;

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext camel = main.getCamelContext();
        settings = new Settings(camel.getPropertiesComponent());
        // the settings a start cannot do without are checked before anything is opened or connected: a missing or
        // wrong one stops the start at once, with its name
        boolean runOrchestrator = settings.bool("app.orchestrator.enabled");
        boolean runParticipants = settings.bool("app.participants.enabled");
        if (!runOrchestrator && !runParticipants) {
            throw new IllegalStateException(
                    "Nothing to run: set app.orchestrator.enabled and/or app.participants.enabled to true");
        }
        Optional<String> apiToken = runOrchestrator && settings.bool("api.auth.enabled")
                ? Optional.of(settings.string("api.auth.token")) : Optional.empty();
        Tracer tracer = resources.closeOnStop(OpenTelemetrySetup.start(settings))
                .getTracer(OpenTelemetrySetup.INSTRUMENTATION_SCOPE);
        secureManagementServer(camel);
        limitRequestBodies(camel);
        List<SagaFlow> flows = SagaFlows.discover(settings.list("flows.packages"));
        FlowCatalog catalog = SagaFlows.catalog(flows);
        LOG.info("Flows: {}", catalog.declarations());

        bootstrapServers = settings.optional("kafka.bootstrap.servers")
                .orElseGet(() -> EmbeddedBrokerStart.start(settings, resources, camelStopped));
        settings.override("kafka.bootstrap.servers", bootstrapServers);
        KafkaClients kafka = new KafkaClients(new KafkaClientSettings(bootstrapServers, settings), settings);
        kafka.camelComponentOptions().forEach(settings::override);
        TopicNames topics = TopicNames.of(settings, catalog);
        if (settings.bool("topics.create")) {
            // before any consumer or producer starts, so that none waits for a missing topic
            TopicProvisioner.ensureTopics(kafka.clientConfig(), topics.toCreate(
                    settings.positiveInteger("topics.partitions"),
                    (short) settings.positiveInteger("topics.replication-factor"),
                    runParticipants && settings.bool("participants.durable")),
                    settings.duration("topics.create-timeout").toMillis());
        }
        // the lines of the routes' log nodes name their saga (the code the routes call does so itself)
        camel.getCamelContextExtension().addInterceptStrategy(new RouteLogMdc());
        // Camel's route metrics and the saga's own share this registry, scraped on /observe/metrics
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        camel.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        admin = resources.closeOnStop(Admin.create(kafka.clientConfig()));

        // One producer for every write of the process: the journal, order and command records of a saga, and in
        // the demo the participants' replies too, go out together, in fewer requests than one producer each would
        // need (the broker's request handling is a third of the CPU per saga)
        KafkaProducer<String, byte[]> producer = resources.closeOnStop(kafka.producer(PRODUCER_CLIENT_ID));
        Map<String, String> consumerGroups = new LinkedHashMap<>();
        if (runOrchestrator) {
            orchestrator = new OrchestratorAssembly(settings, resources, kafka, topics, admin, meters, tracer, clock)
                    .assemble(main, flows, catalog, apiToken, producer);
            consumerGroups.put(settings.string("orchestrator.group-id"), settings.string("orchestrator.instance-id"));
        }
        if (runParticipants) {
            ParticipantsAssembly assembly = new ParticipantsAssembly(settings, resources, kafka, topics, tracer, clock);
            participants = assembly.assemble(main, catalog, producer);
            consumerGroups.putAll(assembly.consumerGroups(catalog));
        }
        // the reference participants stand in for other teams' services: their routes carry no route metrics
        camel.addRoutePolicyFactory(new RouteMetrics(meters, participants == null ? Set.of()
                : participants.commandProcessors().keySet().stream().map(ParticipantRoutes::routeId)
                        .collect(Collectors.toSet())));
        camel.getRegistry().bind("kafka-readiness",
                new KafkaReadinessCheck(admin, consumerGroups, settings.duration("health.kafka.timeout")));
    }

    /**
     * Off only in the embedded demo: the management port's Jolokia and metrics then need the configured credentials
     * (health stays open for the probes). Missing credentials stop the start.
     */
    private void secureManagementServer(CamelContext camel) {
        if (settings.bool("management.auth.enabled")) {
            camel.getRegistry().bind("management-server", new ManagementServerWithCredentials(camel,
                    settings.list("management.auth.paths"), settings.string("management.auth.realm"),
                    settings.string("management.auth.username"), settings.string("management.auth.password")));
        }
    }

    /** Every REST endpoint (the order API, the demo views) refuses a body over api.max-body-bytes as it arrives. */
    private void limitRequestBodies(CamelContext camel) {
        camel.addComponent("undertow", new BodyLimitedUndertowComponent(
                new RequestBodyLimit(settings.positiveInteger("api.max-body-bytes"))));
    }

    /**
     * A replica that is stopped (SIGTERM, scale-down) hands its sagas over at once: its reply consumer stops, which
     * revokes its partitions (their sagas stop here, their writes are flushed), and it leaves the consumer group
     * explicitly, since a static member's close does not, so the other replicas take over now rather than after
     * the session timeout.
     */
    @Override
    public void beforeStop(BaseMainSupport main) {
        if (orchestrator == null) {
            return;
        }
        try {
            main.getCamelContext().getRouteController().stopRoute(SagaRepliesRoute.ROUTE_ID);
            String group = settings.string("orchestrator.group-id");
            String member = settings.string("orchestrator.instance-id");
            admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(
                            List.of(new MemberToRemove(member)))).all()
                    .get(settings.duration("orchestrator.hand-over-timeout").toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Left consumer group {} as {}: the other replicas take over its partitions", group, member);
        } catch (Exception e) {
            LOG.warn("Could not hand the sagas over at once (they are taken over after the session timeout): {}",
                    e.getMessage());
        }
    }

    @Override
    public void afterStop(BaseMainSupport main) {
        closeAll();
        camelStopped.countDown();
    }

    /** Closes what this assembly opened, newest first; safe to call more than once. */
    void closeAll() {
        resources.close();
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    OrchestratorAssembly.Orchestrator orchestrator() {
        return orchestrator;
    }

    ReferenceParticipants participants() {
        return participants;
    }
}
