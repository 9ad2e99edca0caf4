package dev.ordersaga.app;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.StartupListener;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.undertow.UndertowComponent;
import org.apache.camel.component.undertow.UndertowHostOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.api.OrderApi;
import dev.ordersaga.api.OrderRequestParser;
import dev.ordersaga.domain.OrderViews;
import dev.ordersaga.domain.OrderSnapshot;
import dev.ordersaga.kafka.CompactedTopic;
import dev.ordersaga.kafka.EmbeddedKafkaBroker;
import dev.ordersaga.kafka.KafkaOrderStore;
import dev.ordersaga.kafka.KafkaParticipantLedger;
import dev.ordersaga.kafka.KafkaSagaJournal;
import dev.ordersaga.kafka.RebalanceAwareSubscribeAdapter;
import dev.ordersaga.kafka.TopicProvisioner;
import dev.ordersaga.kafka.TopicProvisioner.TopicSpec;
import dev.ordersaga.messaging.CommandPublisher;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.messaging.Participant;
import dev.ordersaga.messaging.ReplyCorrelator;
import dev.ordersaga.messaging.ReplyInbox;
import dev.ordersaga.messaging.SagaCommands;
import dev.ordersaga.participants.ParticipantLedger;
import dev.ordersaga.participants.ReferenceParticipants;
import dev.ordersaga.routes.DemoViewsRoute;
import dev.ordersaga.routes.OrderApiRoute;
import dev.ordersaga.routes.OrderSagaRoute;
import dev.ordersaga.routes.OrderSagaSteps;
import dev.ordersaga.routes.ParticipantRoutes;
import dev.ordersaga.routes.SagaRepliesRoute;
import dev.ordersaga.saga.FinalizeRetryPolicy;
import dev.ordersaga.saga.OrderSagaService;
import dev.ordersaga.saga.SagaOwnership;
import dev.ordersaga.observe.KafkaReadinessCheck;
import dev.ordersaga.observe.ManagementServerWithCredentials;
import dev.ordersaga.observe.SagaMetrics;
import dev.ordersaga.saga.SagaListener;
import dev.ordersaga.saga.SagaListener.SagaOutcome;
import dev.ordersaga.saga.SagaJournal;
import dev.ordersaga.saga.SagaRecord;

/**
 * Puts the application together from its settings, once Camel has read them and before it configures its
 * components: the Kafka cluster (or the embedded broker, when asked for), the orchestrator and/or the reference
 * participants, and their routes. Everything it opens, it closes when Camel stops.
 */
final class ApplicationAssembly extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationAssembly.class);

    private final Clock clock = Clock.systemUTC();
    private final List<AutoCloseable> closeOnStop = new ArrayList<>();
    private final CountDownLatch camelStopped = new CountDownLatch(1);
    private Settings settings;
    private String bootstrapServers;
    private KafkaClientSettings kafka;
    private PrometheusMeterRegistry meters;
    private Admin admin;
    private Optional<String> apiToken;
    private Orchestrator orchestrator;
    private ReferenceParticipants participants;
    private AssignedSagas assignedSagas;

    /** What the orchestrator role is made of, for tests and the start-up banner. */
    record Orchestrator(OrderViews orders, ReplyCorrelator correlator, ReplyInbox inbox, OrderSagaService sagas,
                        SagaOwnership ownership) {
    }

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
        apiToken = runOrchestrator ? apiToken() : Optional.empty();
        secureManagementServer(camel);
        bootstrapServers = settings.optional("kafka.bootstrap.servers").orElseGet(this::startEmbeddedBroker);
        settings.override("kafka.bootstrap.servers", bootstrapServers);
        kafka = new KafkaClientSettings(bootstrapServers, settings);
        kafka.camelComponentOptions().forEach(settings::override);
        ensureTopics();
        // Camel's route metrics and the saga's own share this registry, scraped on /observe/metrics
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        camel.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        Map<String, String> consumerGroups = new LinkedHashMap<>();
        admin = Admin.create(kafka.clientConfig());
        closeOnStop.add(admin);

        if (runOrchestrator) {
            assembleOrchestrator(main, camel);
            consumerGroups.put(settings.string("orchestrator.group-id"), settings.string("orchestrator.instance-id"));
        }
        if (runParticipants) {
            assembleParticipants(main);
            for (Participant participant : Participant.values()) {
                consumerGroups.put(participant.groupId(settings.optional("participants.group-id-prefix").orElse("")),
                        participant.groupInstanceId(settings.string("participants.instance-id")));
            }
        }
        camel.getRegistry().bind("kafka-readiness",
                new KafkaReadinessCheck(admin, consumerGroups, settings.duration("health.kafka.timeout")));
    }

    /**
     * Off only in the embedded demo: the management port's Jolokia and metrics then need the configured credentials
     * (health stays open for the probes). Missing credentials stop the start.
     */
    private void secureManagementServer(CamelContext camel) {
        if (settings.bool("management.auth.enabled")) {
            List<String> paths = Arrays.stream(settings.string("management.auth.paths").split(","))
                    .map(String::trim).filter(path -> !path.isEmpty()).toList();
            camel.getRegistry().bind("management-server", new ManagementServerWithCredentials(camel, paths,
                    settings.string("management.auth.realm"), settings.string("management.auth.username"),
                    settings.string("management.auth.password")));
        }
    }

    /** Creates the topics before any consumer or producer is started, so that none waits for a missing topic. */
    private void ensureTopics() {
        if (settings.bool("topics.create")) {
            int partitions = settings.positiveInteger("topics.partitions");
            short replicationFactor = (short) settings.positiveInteger("topics.replication-factor");
            Map<String, String> compacted = Map.of("cleanup.policy", "compact");
            List<TopicSpec> topics = new ArrayList<>();
            for (Participant participant : Participant.values()) {
                topics.add(new TopicSpec(settings.string(participant.topicProperty()), partitions, replicationFactor,
                        Map.of()));
            }
            topics.add(new TopicSpec(settings.string("topics.replies"), partitions, replicationFactor, Map.of()));
            topics.add(new TopicSpec(settings.string("topics.journal"), partitions, replicationFactor, compacted));
            topics.add(new TopicSpec(settings.string("topics.orders"), partitions, replicationFactor, compacted));
            if (settings.bool("participants.durable")) {
                // one partition: a ledger is replayed in the order it was written; kept for ever
                for (Participant participant : Participant.values()) {
                    topics.add(new TopicSpec(settings.string(participant.ledgerTopicProperty()), 1, replicationFactor,
                            Map.of("retention.ms", "-1")));
                }
            }
            TopicProvisioner.ensureTopics(kafka.clientConfig(), topics,
                    settings.duration("topics.create-timeout").toMillis());
        }
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
        CamelContext camel = main.getCamelContext();
        try {
            camel.getRouteController().stopRoute(SagaRepliesRoute.ROUTE_ID);
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
    synchronized void closeAll() {
        for (int i = closeOnStop.size() - 1; i >= 0; i--) {
            try {
                closeOnStop.get(i).close();
            } catch (Exception e) {
                LOG.warn("Could not close {}", closeOnStop.get(i), e);
            }
        }
        closeOnStop.clear();
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    Orchestrator orchestrator() {
        return orchestrator;
    }

    ReferenceParticipants participants() {
        return participants;
    }

    private String startEmbeddedBroker() {
        if (!settings.bool("broker.embedded")) {
            throw new IllegalStateException("No Kafka cluster: set KAFKA_BOOTSTRAP_SERVERS (kafka.bootstrap.servers), "
                    + "or broker.embedded=true to start a broker in this process (the demo profile does)");
        }
        Path dataDir = settings.optional("broker.embedded.data-dir").map(Path::of).orElse(null);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, settings.integer("broker.embedded.port"));
        // The broker must outlive Camel's consumers and producers, and its threads are not daemons: it is closed
        // after Camel stops (afterStop), on a failed start (OrderSagaApplication), and on SIGTERM by this hook, which
        // waits for Camel's own shutdown hook to stop Camel first.
        long waitForCamelSeconds = settings.positiveInteger("camel.main.shutdown-timeout") + 5L;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                camelStopped.await(waitForCamelSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeAll();
        }, "embedded-kafka-shutdown"));
        closeOnStop.add(broker);
        return broker.start().bootstrapServers();
    }

    private void assembleOrchestrator(BaseMainSupport main, CamelContext camel) {
        ExecutorServiceManager executors = camel.getExecutorServiceManager();
        ScheduledExecutorService replyTimer = executors.newSingleThreadScheduledExecutor(this, "reply-timeouts");
        ExecutorService continuations = unboundedPool("saga-continuations",
                settings.positiveInteger("saga.continuation-threads"));

        KafkaProducer<String, byte[]> stateProducer = producer("order-saga-state");
        closeOnStop.add(stateProducer);
        Map<String, Object> readerConfig = kafka.clientConfig();
        readerConfig.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, settings.positiveInteger("kafka.consumer.fetch-min-bytes"));
        readerConfig.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                settings.positiveInteger("kafka.consumer.fetch-max-wait-ms"));
        Duration readTimeout = settings.duration("recovery.read-timeout");
        String replyTopic = settings.string("topics.replies");
        SagaOwnership ownership = new SagaOwnership(TopicProvisioner.sharedPartitionCount(admin,
                List.of(replyTopic, settings.string("topics.journal"), settings.string("topics.orders")),
                readTimeout.toMillis()));
        KafkaOrderStore store = new KafkaOrderStore(new CompactedTopic<>(stateProducer,
                settings.string("topics.orders"), readerConfig, readTimeout, OrderSnapshot.class));
        closeOnStop.add(store);
        SagaJournal journal = new KafkaSagaJournal(new CompactedTopic<>(stateProducer,
                settings.string("topics.journal"), readerConfig, readTimeout, SagaRecord.class));

        OrderViews orders = new OrderViews(settings.positiveInteger("orders.retained-ended"), store, ownership,
                clock);
        ReplyCorrelator correlator = new ReplyCorrelator(replyTimer, continuations,
                settings.positiveInteger("saga.remembered-replies"));
        KafkaProducer<String, byte[]> commandProducer = producer("order-saga-commands");
        CommandPublisher publisher = new CommandPublisher(commandProducer, commandTopics(), replyTopic);
        closeOnStop.add(publisher);
        SagaMetrics metrics = new SagaMetrics(meters, settings.durations("metrics.saga-latency-slos"));
        SagaCommands commands = new SagaCommands(publisher, correlator, ownership, orders,
                settings.duration("saga.step-timeout"), metrics, clock);
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
                        orders.sagaEnded(sagaId, outcome == SagaOutcome.COMPENSATION_FAILED);
                        metrics.sagaEnded(sagaId, outcome, took);
                        assignedSagas.ended(sagaId);
                    }
                }, clock);
        assignedSagas = new AssignedSagas(orders, sagas, ownership, correlator, () -> {
            stateProducer.flush();
            commandProducer.flush();
        }, readTimeout);
        // every replica reads every order (GET and Idempotency-Key answer the same everywhere); the consumer group of
        // the reply topic decides which replica drives which order's saga
        orders.follow(assignedSagas);
        camel.getRegistry().bind(KafkaConstants.KAFKA_SUBSCRIBE_ADAPTER,
                new RebalanceAwareSubscribeAdapter(replyTopic, assignedSagas));
        try {
            camel.addService(sagas);
        } catch (Exception e) {
            throw new IllegalStateException("Could not register the saga service", e);
        }
        try {
            camel.addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                    // sagas start only once every route runs
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted)
                        throws Exception {
                    // the reply consumer joins the group only now: its first partitions start their recovery
                    assignedSagas.startWith(context.createProducerTemplate());
                    context.getRouteController().startRoute(SagaRepliesRoute.ROUTE_ID);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("Could not register saga recovery", e);
        }
        ReplyInbox inbox = new ReplyInbox(correlator);
        metrics.observe(sagas, correlator, inbox, ownership);
        // camel-undertow runs each request on a worker thread until its answer is written, even when the route is
        // asynchronous: a POST holds one while its order is written and read back, a Prefer: wait while its saga runs
        UndertowHostOptions http = new UndertowHostOptions();
        http.setWorkerThreads(settings.positiveInteger("api.worker-threads"));
        camel.getComponent("undertow", UndertowComponent.class).setHostOptions(http);
        OrderApi api = new OrderApi(orders, ownership,
                new OrderRequestParser(settings.positiveInteger("api.max-items"),
                        settings.positiveInteger("api.max-quantity")),
                new OrderApi.Limits(settings.positiveInteger("api.max-body-bytes"),
                        settings.positiveInteger("api.max-wait-seconds"),
                        settings.positiveInteger("api.list.default-limit"),
                        settings.positiveInteger("api.list.max-limit"),
                        settings.duration("api.accept-timeout"),
                        settings.positiveInteger("api.max-sagas-in-flight")),
                sagas::retry, apiToken, clock);

        main.configure().addRoutesBuilder(new OrderSagaRoute(commands, orders));
        main.configure().addRoutesBuilder(new OrderSagaSteps(commands));
        main.configure().addRoutesBuilder(new SagaRepliesRoute(inbox));
        main.configure().addRoutesBuilder(new OrderApiRoute(api));
        orchestrator = new Orchestrator(orders, correlator, inbox, sagas, ownership);
    }

    private void assembleParticipants(BaseMainSupport main) {
        KafkaProducer<String, byte[]> participantsProducer = producer("reference-participants");
        closeOnStop.add(participantsProducer);
        Function<Participant, ParticipantLedger> ledgers = participant -> ParticipantLedger.NONE;
        boolean durable = settings.bool("participants.durable");
        if (durable) {
            Map<String, Object> readerConfig = kafka.clientConfig();
            Duration timeout = settings.duration("recovery.read-timeout");
            ledgers = participant -> new KafkaParticipantLedger(participantsProducer,
                    settings.string(participant.ledgerTopicProperty()), readerConfig, timeout);
        }
        participants = new ReferenceParticipants(
                settings.string("participants.inventory.stock"),
                settings.string("participants.payment.credit-limits"),
                settings.optional("participants.payment.declined-cards").orElse(""),
                settings.optional("participants.notification.flaky-domain").orElse(null),
                settings.integer("participants.notification.flaky-failures"),
                ledgers, participantsProducer,
                unboundedPool("participant-replies", 1),
                clock);
        if (durable) {
            LOG.info("Reference participants: {} command(s) replayed from their ledgers", participants.replayLedgers());
        }
        main.configure().addRoutesBuilder(new ParticipantRoutes(participants.commandProcessors()));
        main.configure().addRoutesBuilder(new DemoViewsRoute(participants));
    }

    /**
     * A fixed pool whose queue never refuses: Camel's pools run a task on the caller's thread when they refuse it,
     * and the callers here are Kafka's I/O and consumer threads, which must never run saga work. Closed on stop.
     */
    private ExecutorService unboundedPool(String name, int threads) {
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        closeOnStop.add(pool::shutdown);
        return pool;
    }

    /** The bearer token the order API requires, when it requires one (a missing token stops the start). */
    private Optional<String> apiToken() {
        return settings.bool("api.auth.enabled") ? Optional.of(settings.string("api.auth.token")) : Optional.empty();
    }

    private Map<Participant, String> commandTopics() {
        Map<Participant, String> topics = new EnumMap<>(Participant.class);
        for (Participant participant : Participant.values()) {
            topics.put(participant, settings.string(participant.topicProperty()));
        }
        return topics;
    }

    /** A pipelining, idempotent producer: acks from all in-sync replicas, order kept per partition. */
    private KafkaProducer<String, byte[]> producer(String clientId) {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        int lingerMillis = settings.integer("kafka.producer.linger-ms");
        int deliveryTimeoutMillis = (int) settings.duration("kafka.producer.delivery-timeout").toMillis();
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMillis);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.duration("kafka.producer.max-block").toMillis());
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeoutMillis);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, deliveryTimeoutMillis - lingerMillis);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
