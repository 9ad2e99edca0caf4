package dev.ordersaga.bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.OrderLine;
import dev.ordersaga.json.Json;
import dev.ordersaga.flow.CommandType;
import dev.ordersaga.flow.FlowDeclaration;
import dev.ordersaga.flow.FlowStage;
import dev.ordersaga.flow.FlowStep;
import dev.ordersaga.flow.Participant;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.messaging.Reply;
import dev.ordersaga.testsupport.Flows;

/**
 * The floor: what the orchestrator does at the wire level, with nothing but kafka-clients. Per saga, the sequential
 * command/reply round trips of the order saga's newest declaration ({@link #wireShape}: today CreateOrder;
 * ReserveInventory and HoldPayment together; ApproveOrder; SendOrderConfirmation) with records of the same sizes as the application's (the bodies are the
 * application's own {@link Command} and {@link Reply} JSON, the same key and contract headers), on topics of its own
 * with the application's partition count, producers and consumers configured as the application's (acks=all,
 * idempotent, its linger.ms, fetch.min.bytes and fetch.max.wait.ms: {@link Batching}). Four echo participants (one
 * consumer thread each, one shared reply producer) answer every command at once with a canned reply; the driver
 * consumes the replies on one thread and sends each saga's next commands from there. Sagas are pipelined: any number
 * in flight, one map entry each, no thread per saga.
 * <p>
 * With {@code journal}, each saga also writes a state record to a compacted topic before each round trip and one at
 * the end (5 today) and, like the application, sends a step's commands only once its state record is acknowledged.
 */
final class KafkaFloor implements SagaTarget {

    /** The application's batching settings, which the floor's clients get too, so that the two compare like for like. */
    record Batching(int lingerMs, int fetchMinBytes, int fetchMaxWaitMs) {

        @Override
        public String toString() {
            return "linger.ms=" + lingerMs + ", fetch.min.bytes=" + fetchMinBytes + ", fetch.max.wait.ms=" + fetchMaxWaitMs;
        }
    }

    private static final List<List<CommandType>> STEPS = wireShape(Flows.orderSaga());

    /**
     * The round trips of a saga that succeeds, in order, each the commands sent together: a stage of the flow (a
     * parallel group's commands together), then each step after the pivot.
     */
    static List<List<CommandType>> wireShape(FlowDeclaration flow) {
        List<List<CommandType>> shape = new ArrayList<>();
        for (FlowStage stage : flow.stages()) {
            shape.add(stage.steps().stream().map(FlowStep::command).toList());
        }
        flow.afterPivot().forEach(step -> shape.add(List.of(step.command())));
        return List.copyOf(shape);
    }

    /** The round trips, as the report names them: "4 sequential command/reply round trips (CreateOrder; ...)". */
    static String roundTrips() {
        return STEPS.size() + " sequential command/reply round trips (" + STEPS.stream()
                .map(step -> String.join(" + ", step.stream().map(CommandType::wireName).toList())
                        + (step.size() > 1 ? " together" : ""))
                .collect(java.util.stream.Collectors.joining("; ")) + ")";
    }

    /** With journal: a state record before each round trip, and one at the end. */
    static int stateRecordsPerSaga() {
        return STEPS.size() + 1;
    }

    /** One saga in flight. */
    private static final class FloorSaga {
        final String id;
        final Outcome outcome;
        volatile int step;
        final AtomicInteger awaiting = new AtomicInteger();

        FloorSaga(String id, Outcome outcome) {
            this.id = id;
            this.outcome = outcome;
        }
    }

    private final String name;
    private final Batching batching;
    private final boolean journal;
    private final Map<String, Object> clientConfig;
    // the application's names (order-saga.replies, order-saga.commands.order-service ...), with this run's own
    // namespace of the same length in place of order-saga, so as not to meet the application's topics on a shared
    // broker: floorab12c.replies, floorab12c.commands.order-service. The reply topic's name travels in every
    // command's reply-to header, the command topics' are as long as the orchestrator's
    private final String prefix = "floor" + UUID.randomUUID().toString().substring(0, 5) + ".";
    private final String commandsPrefix = prefix + "commands.";
    private final Map<Participant, String> commandTopics = new HashMap<>();
    private final String replyTopic = prefix + "replies";
    private final String journalTopic = prefix + "journal";
    private final byte[] replyTopicBytes = replyTopic.getBytes(StandardCharsets.UTF_8);
    private final Map<CommandType, byte[]> commandBodies = new HashMap<>();
    private final Map<String, byte[]> replyBodies = new HashMap<>();
    private final byte[] journalBody;
    private final Map<String, FloorSaga> sagas = new ConcurrentHashMap<>();
    private final LongAdder strayReplies = new LongAdder();
    private final List<Thread> threads = new ArrayList<>();
    private final List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();
    private final ExecutorService continuations;
    private final int partitions;
    private final short replicationFactor;
    private KafkaProducer<String, byte[]> commandProducer;
    private KafkaProducer<byte[], byte[]> replyProducer;
    private KafkaProducer<String, byte[]> journalProducer;
    private volatile boolean running = true;

    /**
     * @param journalRecordBytes the size of a state record's value (the application's journal records, as measured)
     */
    KafkaFloor(String name, Map<String, Object> clientConfig, Batching batching, int partitions, short replicationFactor,
               boolean journal, int journalRecordBytes) {
        this.name = name;
        this.batching = batching;
        this.clientConfig = Map.copyOf(clientConfig);
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.journal = journal;
        STEPS.forEach(step -> step.forEach(type -> commandTopics.put(type.participant(),
                type.participant().defaultCommandTopic(commandsPrefix))));
        // bodies of the application's own making, for a saga id of the same length as every saga's (a UUID)
        String sampleId = UUID.randomUUID().toString();
        Order order = new Order(sampleId, "bench", "bench@example.com", "EUR",
                List.of(new OrderLine(HttpSagaTarget.SKU, 1, new BigDecimal("1.00"))), HttpSagaTarget.CARD,
                new BigDecimal("1.00"), Instant.now());
        for (List<CommandType> step : STEPS) {
            for (CommandType type : step) {
                commandBodies.put(type, Json.write(Command.of(type, sampleId, order, null, Instant.now())));
                replyBodies.put(type.wireName(), Json.write(new Reply(type.correlationId(sampleId), sampleId, sampleId,
                        type.wireName(), Reply.Outcome.SUCCESS, null, null, false, type.participant().name(),
                        Instant.now())));
            }
        }
        byte[] filler = new byte[Math.max(2, journalRecordBytes)];
        Arrays.fill(filler, (byte) 'x');
        filler[0] = '"';
        filler[filler.length - 1] = '"';
        this.journalBody = filler;
        AtomicInteger count = new AtomicInteger();
        this.continuations = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "floor-continuation-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Creates the topics and starts the echo participants and the reply consumer. */
    KafkaFloor start() throws Exception {
        try (Admin admin = Admin.create(clientConfig)) {
            List<NewTopic> topics = new ArrayList<>();
            commandTopics.values().forEach(topic -> topics.add(new NewTopic(topic, partitions, replicationFactor)));
            topics.add(new NewTopic(replyTopic, partitions, replicationFactor));
            if (journal) {
                topics.add(new NewTopic(journalTopic, partitions, replicationFactor)
                        .configs(Map.of("cleanup.policy", "compact")));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
        commandProducer = producer("floor-commands");
        replyProducer = new KafkaProducer<>(producerConfig("floor-participants"), new ByteArraySerializer(),
                new ByteArraySerializer());
        if (journal) {
            journalProducer = producer("floor-journal");
        }
        for (Map.Entry<Participant, String> participant : commandTopics.entrySet()) {
            KafkaConsumer<byte[], byte[]> consumer = consumer("floor-" + participant.getKey().name());
            assignAll(consumer, participant.getValue());
            pollLoop("floor-" + participant.getKey().name(), consumer, this::echo);
        }
        KafkaConsumer<byte[], byte[]> replies = consumer("floor-driver-replies");
        assignAll(replies, replyTopic);
        pollLoop("floor-driver-replies", replies, this::onReply);
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(Outcome outcome) {
        FloorSaga saga = new FloorSaga(UUID.randomUUID().toString(), outcome);
        sagas.put(saga.id, saga);
        enter(saga, 0);
    }

    /** Enters round trip {@code step} (STEPS.size() = the end): its state record first (with journal), then its commands. */
    private void enter(FloorSaga saga, int step) {
        saga.step = step;
        if (!journal) {
            proceed(saga, step);
            return;
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(journalTopic, saga.id, journalBody);
        try {
            journalProducer.send(record, (metadata, error) -> {
                if (error != null) {
                    fail(saga, "journal " + error.getClass().getSimpleName());
                } else {
                    // off the producer's I/O thread, as the application does
                    continuations.execute(() -> proceed(saga, step));
                }
            });
        } catch (RuntimeException e) {
            fail(saga, "journal " + e.getClass().getSimpleName());
        }
    }

    private void proceed(FloorSaga saga, int step) {
        if (step == STEPS.size()) {
            if (sagas.remove(saga.id) != null) {
                saga.outcome.ok();
            }
            return;
        }
        List<CommandType> commands = STEPS.get(step);
        saga.awaiting.set(commands.size());
        for (CommandType type : commands) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(MessageHeaders.SAGA_ID, utf8(saga.id));
            headers.add(MessageHeaders.CORRELATION_ID, utf8(type.correlationId(saga.id)));
            headers.add(MessageHeaders.COMMAND_TYPE, utf8(type.wireName()));
            headers.add(MessageHeaders.REPLY_TO, replyTopicBytes);
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(commandTopics.get(type.participant()), null,
                    saga.id, commandBodies.get(type), headers);
            try {
                commandProducer.send(record, (metadata, error) -> {
                    if (error != null) {
                        fail(saga, "send " + error.getClass().getSimpleName());
                    }
                });
            } catch (RuntimeException e) {
                fail(saga, "send " + e.getClass().getSimpleName());
            }
        }
    }

    /** An echo participant: answers every command at once with the canned reply of its type. */
    private void echo(ConsumerRecord<byte[], byte[]> command) {
        Header type = command.headers().lastHeader(MessageHeaders.COMMAND_TYPE);
        Header replyTo = command.headers().lastHeader(MessageHeaders.REPLY_TO);
        if (type == null || replyTo == null) {
            return;
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(command.headers().lastHeader(MessageHeaders.SAGA_ID));
        headers.add(command.headers().lastHeader(MessageHeaders.CORRELATION_ID));
        headers.add(type);
        String typeName = new String(type.value(), StandardCharsets.UTF_8);
        replyProducer.send(new ProducerRecord<>(new String(replyTo.value(), StandardCharsets.UTF_8), null,
                command.key(), replyBodies.get(typeName), headers));
    }

    /** The driver: a reply ends its command's wait; the last reply of a step starts the next step. */
    private void onReply(ConsumerRecord<byte[], byte[]> reply) {
        FloorSaga saga = reply.key() == null ? null : sagas.get(new String(reply.key(), StandardCharsets.UTF_8));
        if (saga == null) {
            strayReplies.increment();
            return;
        }
        if (saga.awaiting.decrementAndGet() == 0) {
            enter(saga, saga.step + 1);
        }
    }

    private void fail(FloorSaga saga, String kind) {
        if (sagas.remove(saga.id) != null) {
            saga.outcome.failed(kind);
        }
    }

    long strayReplies() {
        return strayReplies.sum();
    }

    List<String> topics() {
        List<String> topics = new ArrayList<>(commandTopics.values());
        topics.add(replyTopic);
        if (journal) {
            topics.add(journalTopic);
        }
        return topics;
    }

    @Override
    public void close() throws Exception {
        running = false;
        consumers.forEach(KafkaConsumer::wakeup);
        for (Thread thread : threads) {
            thread.join(5000);
        }
        continuations.shutdownNow();
        for (AutoCloseable producer : new AutoCloseable[] {commandProducer, replyProducer, journalProducer}) {
            if (producer != null) {
                producer.close();
            }
        }
        try (Admin admin = Admin.create(clientConfig)) {
            admin.deleteTopics(topics()).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("Could not delete the floor's topics " + topics() + ": " + e.getMessage());
        }
    }

    private void pollLoop(String threadName, KafkaConsumer<byte[], byte[]> consumer,
                          java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        consumers.add(consumer);
        Thread thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        handler.accept(record);
                    }
                }
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (running) {
                    System.err.println(threadName + " stopped: " + e);
                }
            }
        }, threadName);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /** Reads every partition of the topic from the start (it is new): no consumer group, nothing to wait for. */
    private void assignAll(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> assigned = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assigned.add(new TopicPartition(topic, p));
        }
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        consumer.position(assigned.get(0));
    }

    private KafkaConsumer<byte[], byte[]> consumer(String clientId) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, batching.fetchMinBytes());
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, batching.fetchMaxWaitMs());
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> producer(String clientId) {
        return new KafkaProducer<>(producerConfig(clientId), new org.apache.kafka.common.serialization.StringSerializer(),
                new ByteArraySerializer());
    }

    /** As the application's producers: acks from all in-sync replicas, idempotent, its linger.ms. */
    private Map<String, Object> producerConfig(String clientId) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, batching.lingerMs());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        return config;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
