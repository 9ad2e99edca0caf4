package dev.ordersaga.app;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.apache.camel.main.BaseMainSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opentelemetry.api.trace.Tracer;

import dev.ordersaga.flow.FlowCatalog;
import dev.ordersaga.flow.Participant;
import dev.ordersaga.participants.KafkaParticipantLedger;
import dev.ordersaga.participants.ParticipantLedger;
import dev.ordersaga.participants.ParticipantSettings;
import dev.ordersaga.participants.ReferenceParticipants;
import dev.ordersaga.routes.DemoViewsRoute;
import dev.ordersaga.routes.ParticipantRoutes;

/**
 * The reference participants' role: one for each participant the flows name, each answering its command topic, with
 * a ledger when they run as their own process ({@code participants.durable}), and their demo views.
 */
final class ParticipantsAssembly {

    private static final Logger LOG = LoggerFactory.getLogger(ParticipantsAssembly.class);
    private static final String REFERENCE = "participants.reference";
    private static final String ALL = "all";

    private final Settings settings;
    private final Resources resources;
    private final KafkaClients kafka;
    private final TopicNames topics;
    private final Tracer tracer;
    private final Clock clock;

    ParticipantsAssembly(Settings settings, Resources resources, KafkaClients kafka, TopicNames topics, Tracer tracer,
                         Clock clock) {
        this.tracer = tracer;
        this.settings = settings;
        this.resources = resources;
        this.kafka = kafka;
        this.topics = topics;
        this.clock = clock;
    }

    /** @param producer this process's one producer: the participants' replies and ledger records */
    ReferenceParticipants assemble(BaseMainSupport main, FlowCatalog flows, KafkaProducer<String, byte[]> producer) {
        boolean durable = settings.bool("participants.durable");
        Function<Participant, ParticipantLedger> ledgers = durable
                ? participant -> new KafkaParticipantLedger(producer, topics.participantsLedger(), participant.name(),
                        kafka.clientConfig(), kafka.readTimeout())
                : participant -> ParticipantLedger.NONE;
        ReferenceParticipants participants = new ReferenceParticipants(flows, running(flows),
                ReferenceParticipants.findRules(settings.list("participants.rules-packages"), demoData()),
                ledgers, producer, resources.unboundedPool("participant-replies", 1), this::replyDelay, tracer, clock);
        if (durable) {
            LOG.info("Reference participants: {} command(s) replayed from their ledgers", participants.replayLedgers());
        }
        main.configure().addRoutesBuilder(new ParticipantRoutes(participants.commandProcessors(), topics.commands()));
        main.configure().addRoutesBuilder(new DemoViewsRoute(participants.demoViews(), participants::repeatsAnswered));
        return participants;
    }

    /** For readiness: the consumer group of each participant, with the static member id this process joins as. */
    Map<String, String> consumerGroups(FlowCatalog flows) {
        Map<String, String> groups = new LinkedHashMap<>();
        String prefix = settings.optional("participants.group-id-prefix").orElse("");
        String instance = settings.string("participants.instance-id");
        running(flows).forEach(participant ->
                groups.put(participant.groupId(prefix), participant.groupInstanceId(instance)));
        return groups;
    }

    /**
     * {@code participants.reference}: the reference participants this process runs, {@code all} of those the flows
     * name or a list of names; the others are expected to run elsewhere (another team's service answering the same
     * command topic), and are not started here, so as not to share their consumer group.
     */
    private Set<Participant> running(FlowCatalog flows) {
        List<String> named = settings.list(REFERENCE);
        if (named.equals(List.of(ALL))) {
            return flows.participants();
        }
        Set<Participant> running = new LinkedHashSet<>();
        named.forEach(name -> running.add(new Participant(name)));
        return running;
    }

    /** {@code participants.<participant>.reply-delay}: a participant that answers that much later (none by default). */
    private Duration replyDelay(Participant participant) {
        String key = "participants." + participant.name() + ".reply-delay";
        return settings.optional(key).isPresent() ? settings.duration(key) : Duration.ZERO;
    }

    private ParticipantSettings demoData() {
        return new ParticipantSettings() {
            @Override
            public Optional<String> optional(String key) {
                return settings.optional(key);
            }

            @Override
            public String string(String key) {
                return settings.string(key);
            }

            @Override
            public int integer(String key) {
                return settings.integer(key);
            }

            @Override
            public Clock clock() {
                return clock;
            }
        };
    }
}
