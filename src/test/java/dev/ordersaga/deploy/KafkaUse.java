package dev.ordersaga.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the application does with Kafka, role by role: the topics it needs, as ApplicationAssembly.ensureTopics()
 * would create them, and the topics and consumer groups each role uses, and how. Every check of k8s/ against the
 * application's topics learns them here and only here; the names come from config/, the uses from the code
 * (ApplicationAssembly, TopicReader, TopicTail, CommandPublisher, SagaRepliesRoute, ParticipantRoutes,
 * ParticipantCommandProcessor, KafkaReadinessCheck). When the flow becomes a declaration, this is what reads it.
 */
public final class KafkaUse {

    /** A topic as the application would create it: partitions and the topic configs it sets. */
    public record Topic(String name, int partitions, Map<String, String> config) {
    }

    /** A role's use of one Kafka resource ({@code topic} or {@code group}), in Strimzi's operation names. */
    public record Access(String resourceType, String name, Set<String> operations) {

        static Access topic(String name, String... operations) {
            return new Access("topic", name, new TreeSet<>(List.of(operations)));
        }

        static Access group(String name, String... operations) {
            return new Access("group", name, new TreeSet<>(List.of(operations)));
        }
    }

    private static final Pattern COMMAND_TOPIC = Pattern.compile("topics\\.([a-z-]+)\\.commands");
    private static final Pattern LEDGER_TOPIC = Pattern.compile("topics\\.([a-z-]+)\\.ledger");

    private KafkaUse() {
    }

    /** The orchestrator's topics: a command topic per participant, the replies, the journal and the orders. */
    public static List<Topic> orchestratorTopics() {
        Map<String, String> config = AppConfig.profile(KubernetesManifestsTest.PROFILE);
        int partitions = Integer.parseInt(config.get("topics.partitions"));
        List<Topic> topics = new ArrayList<>();
        commandTopics(config).values().forEach(name -> topics.add(new Topic(name, partitions, Map.of())));
        topics.add(new Topic(config.get("topics.replies"), partitions, Map.of()));
        for (String compacted : List.of("topics.journal", "topics.orders")) {
            topics.add(new Topic(config.get(compacted), partitions, Map.of("cleanup.policy", "compact")));
        }
        return topics;
    }

    /** The reference participants' ledgers: one partition each, replayed in order, kept for ever. */
    public static List<Topic> referenceParticipantTopics() {
        return ledgerTopics(AppConfig.profile("participants")).values().stream()
                .map(name -> new Topic(name, 1, Map.of("retention.ms", "-1"))).toList();
    }

    /**
     * The topics whose partitions the replicas share (each replica drives the sagas of its partitions of the reply
     * topic; a saga's records have the same partition number in all three: checked equal at start-up).
     */
    public static List<String> sharedPartitionTopics() {
        Map<String, String> config = AppConfig.profile(KubernetesManifestsTest.PROFILE);
        return List.of(config.get("topics.replies"), config.get("topics.journal"), config.get("topics.orders"));
    }

    /**
     * The orchestrator (kubernetes profile): it writes the commands; reads the replies in its consumer group (and
     * leaves the group on SIGTERM, and describes it for readiness); writes the journal and the orders and reads both
     * back with assign(), in no group; describes the topics it uses. It creates no topic (topics.create=false).
     */
    public static List<Access> orchestrator() {
        Map<String, String> config = AppConfig.profile(KubernetesManifestsTest.PROFILE);
        if (Boolean.parseBoolean(config.get("topics.create"))) {
            throw new AssertionError("The kubernetes profile creates topics: its Kafka user would need Create");
        }
        List<Access> uses = new ArrayList<>();
        commandTopics(config).values().forEach(topic -> uses.add(Access.topic(topic, "Describe", "Write")));
        uses.add(Access.topic(config.get("topics.replies"), "Describe", "Read"));
        uses.add(Access.group(config.get("orchestrator.group-id"), "Describe", "Read"));
        uses.add(Access.topic(config.get("topics.journal"), "Describe", "Read", "Write"));
        uses.add(Access.topic(config.get("topics.orders"), "Describe", "Read", "Write"));
        return uses;
    }

    /**
     * The reference participants (participants profile, durable): each reads its command topic in its own consumer
     * group (described for readiness), answers on the reply topic, and writes and replays its ledger with assign().
     */
    public static List<Access> referenceParticipants() {
        Map<String, String> config = AppConfig.profile("participants");
        if (!Boolean.parseBoolean(config.get("participants.durable"))) {
            throw new AssertionError("The participants profile keeps no ledger: its Kafka user needs none");
        }
        String groupPrefix = config.getOrDefault("participants.group-id-prefix", "");
        Map<String, String> ledgers = ledgerTopics(config);
        List<Access> uses = new ArrayList<>();
        commandTopics(config).forEach((participant, topic) -> {
            uses.add(Access.topic(topic, "Describe", "Read"));
            uses.add(Access.group(groupPrefix + participant, "Describe", "Read"));
        });
        uses.add(Access.topic(config.get("topics.replies"), "Describe", "Write"));
        ledgers.values().forEach(topic -> uses.add(Access.topic(topic, "Describe", "Read", "Write")));
        return uses;
    }

    /** participant name → its command topic, from {@code topics.<participant>.commands}. */
    private static Map<String, String> commandTopics(Map<String, String> config) {
        return byParticipant(config, COMMAND_TOPIC);
    }

    private static Map<String, String> ledgerTopics(Map<String, String> config) {
        return byParticipant(config, LEDGER_TOPIC);
    }

    private static Map<String, String> byParticipant(Map<String, String> config, Pattern key) {
        Map<String, String> topics = new LinkedHashMap<>();
        new TreeSet<>(config.keySet()).forEach(name -> {
            Matcher m = key.matcher(name);
            if (m.matches()) {
                topics.put(m.group(1), config.get(name));
            }
        });
        if (topics.size() != 4) {
            throw new AssertionError("Expected a topic per participant (4) for " + key + ", found " + topics);
        }
        return topics;
    }
}
