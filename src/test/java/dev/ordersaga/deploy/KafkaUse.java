package dev.ordersaga.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.ordersaga.flow.Participant;
import dev.ordersaga.testsupport.Flows;

/**
 * What the application does with Kafka, role by role: the topics it needs, as it would create them (TopicNames),
 * and the topics and consumer groups each role uses, and how. Every check of k8s/ against the application's topics
 * learns them here and only here; the participants come from the declared flows, the names from config/ (a
 * participant's command topic is {@code <topics.commands-prefix><participant>} unless
 * {@code topics.<participant>.commands} names another), the uses from the code (ApplicationAssembly, TopicReader,
 * TopicTail, CommandPublisher, SagaRepliesRoute, ParticipantRoutes, ParticipantCommandProcessor, KafkaReadinessCheck,
 * OperatorActionLog, OperatorActionInbox).
 */
public final class KafkaUse {

    /** A topic as the application would create it: partitions and the topic configs it sets. */
    public record Topic(String name, int partitions, Map<String, String> config) {
    }

    /** A role's use of one Kafka resource ({@code topic} or {@code group}), in Strimzi's operation names. */
    public record Access(String resourceType, String name, Set<String> operations) {

        public static Access topic(String name, String... operations) {
            return new Access("topic", name, new TreeSet<>(List.of(operations)));
        }

        public static Access group(String name, String... operations) {
            return new Access("group", name, new TreeSet<>(List.of(operations)));
        }
    }

    /**
     * A name prefix the application gives a kind of resource ({@code topic} or {@code group}) of a role, that the
     * role's Kafka user may allow by one prefix ACL: every name the role uses under it, and any a new participant
     * brings, is covered at once. Only these prefixes may be ACLs of {@code patternType: prefix}: no ACL reaches
     * beyond the names the application itself gives.
     */
    public record Prefix(String resourceType, String prefix) {
    }

    private KafkaUse() {
    }

    /** The orchestrator's: the command topics, {@code topics.commands-prefix}. */
    public static List<Prefix> orchestratorPrefixes() {
        Map<String, String> config = AppConfig.profile(KubernetesManifestsTest.PROFILE);
        return List.of(new Prefix("topic", config.get(Participant.COMMANDS_PREFIX_PROPERTY).trim()));
    }

    /**
     * The reference participants': the command topics ({@code topics.commands-prefix}) and their consumer groups
     * ({@code participants.group-id-prefix}, when it is not empty).
     */
    public static List<Prefix> referenceParticipantPrefixes() {
        Map<String, String> config = AppConfig.profile("participants");
        List<Prefix> prefixes = new ArrayList<>();
        prefixes.add(new Prefix("topic", config.get(Participant.COMMANDS_PREFIX_PROPERTY).trim()));
        String groupPrefix = config.getOrDefault("participants.group-id-prefix", "").trim();
        if (!groupPrefix.isEmpty()) {
            prefixes.add(new Prefix("group", groupPrefix));
        }
        return prefixes;
    }

    /**
     * The orchestrator's topics: a command topic per participant, the replies, the journal and the orders, the
     * operator actions.
     */
    public static List<Topic> orchestratorTopics() {
        Map<String, String> config = AppConfig.profile(KubernetesManifestsTest.PROFILE);
        int partitions = Integer.parseInt(config.get("topics.partitions"));
        List<Topic> topics = new ArrayList<>();
        commandTopics(config).values().forEach(name -> topics.add(new Topic(name, partitions, Map.of())));
        topics.add(new Topic(config.get("topics.replies"), partitions, Map.of()));
        for (String compacted : List.of("topics.journal", "topics.orders")) {
            topics.add(new Topic(config.get(compacted), partitions, Map.of("cleanup.policy", "compact")));
        }
        topics.add(new Topic(config.get("topics.operator-actions"), partitions, Map.of()));
        return topics;
    }

    /** The reference participants' ledger: one partition, shared by all, replayed in order, kept for ever. */
    public static List<Topic> referenceParticipantTopics() {
        return List.of(new Topic(AppConfig.profile("participants").get("topics.participants-ledger"), 1,
                Map.of("retention.ms", "-1")));
    }

    /**
     * The topics whose partitions the replicas share (each replica drives the sagas of its partitions of the reply
     * topic, and carries out the operator actions of the same partitions; a saga's records have the same partition
     * number in all four: checked equal at start-up).
     */
    public static List<String> sharedPartitionTopics() {
        Map<String, String> config = AppConfig.profile(KubernetesManifestsTest.PROFILE);
        return List.of(config.get("topics.replies"), config.get("topics.journal"), config.get("topics.orders"),
                config.get("topics.operator-actions"));
    }

    /**
     * The orchestrator (kubernetes profile): it writes the commands; reads the replies in its consumer group (and
     * leaves the group on SIGTERM, and describes it for readiness); writes the journal and the orders and reads both
     * back with assign(), in no group; writes the operator actions any replica takes, and reads those of its
     * partitions with assign(), committing how far it got to a group of its own (which nobody joins); describes the
     * topics it uses. It creates no topic (topics.create=false).
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
        uses.add(Access.topic(config.get("topics.operator-actions"), "Describe", "Read", "Write"));
        // OffsetCommit needs Read on the group, OffsetFetch (where a partition's reading starts) Describe
        uses.add(Access.group(config.get("orchestrator.operator-actions.group-id"), "Describe", "Read"));
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
        String groupPrefix = config.getOrDefault("participants.group-id-prefix", "").trim();
        List<Access> uses = new ArrayList<>();
        commandTopics(config).forEach((participant, topic) -> {
            uses.add(Access.topic(topic, "Describe", "Read"));
            uses.add(Access.group(groupPrefix + participant, "Describe", "Read"));
        });
        uses.add(Access.topic(config.get("topics.replies"), "Describe", "Write"));
        uses.add(Access.topic(config.get("topics.participants-ledger"), "Describe", "Read", "Write"));
        return uses;
    }

    /** participant name → its command topic, for every participant of every declared flow. */
    private static Map<String, String> commandTopics(Map<String, String> config) {
        Map<String, String> topics = new LinkedHashMap<>();
        String prefix = config.get(Participant.COMMANDS_PREFIX_PROPERTY).trim();
        for (Participant participant : Flows.catalog().participants()) {
            String named = config.get(participant.commandTopicProperty());
            topics.put(participant.name(), named == null || named.isBlank() ? participant.defaultCommandTopic(prefix)
                    : named);
        }
        return topics;
    }
}
