package dev.ordersaga.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ordersaga.flow.FlowCatalog;
import dev.ordersaga.flow.Participant;
import dev.ordersaga.kafka.TopicProvisioner.TopicSpec;

/**
 * The topics of this process, named in config or by default: one command topic per participant the flows name
 * ({@code <topics.commands-prefix><participant>}, or {@code topics.<participant>.commands}), the reply topic, the
 * saga journal and the orders (compacted), the operator actions, and the reference participants' ledger.
 */
record TopicNames(Map<Participant, String> commands, String replies, String journal, String orders,
                  String operatorActions, String participantsLedger) {

    static TopicNames of(Settings settings, FlowCatalog flows) {
        Map<Participant, String> commands = new LinkedHashMap<>();
        String prefix = settings.string(Participant.COMMANDS_PREFIX_PROPERTY);
        for (Participant participant : flows.participants()) {
            commands.put(participant, settings.optional(participant.commandTopicProperty())
                    .orElse(participant.defaultCommandTopic(prefix)));
        }
        return new TopicNames(Map.copyOf(commands), settings.string("topics.replies"),
                settings.string("topics.journal"), settings.string("topics.orders"),
                settings.string("topics.operator-actions"), settings.string("topics.participants-ledger"));
    }

    /**
     * The topics that co-partition a saga's records: its owner is found by partition number in all of them. The
     * operator actions too: an action is carried out by the owner of its order's partition number.
     */
    List<String> sagaTopics() {
        return List.of(replies, journal, orders, operatorActions);
    }

    /** Every topic to create when missing; the ledger only where the reference participants keep one. */
    List<TopicSpec> toCreate(int partitions, short replicationFactor, boolean withLedger) {
        Map<String, String> compacted = Map.of("cleanup.policy", "compact");
        List<TopicSpec> topics = new ArrayList<>();
        commands.values().stream().sorted()
                .forEach(topic -> topics.add(new TopicSpec(topic, partitions, replicationFactor, Map.of())));
        topics.add(new TopicSpec(replies, partitions, replicationFactor, Map.of()));
        topics.add(new TopicSpec(journal, partitions, replicationFactor, compacted));
        topics.add(new TopicSpec(orders, partitions, replicationFactor, compacted));
        // not compacted: every action is one request, however many an order gets; carried-out ones are past the
        // committed offsets, and the topic's retention (the broker's, k8s/topics: a week) drops them
        topics.add(new TopicSpec(operatorActions, partitions, replicationFactor, Map.of()));
        if (withLedger) {
            // one partition: the ledger is replayed in the order it was written; kept for ever
            topics.add(new TopicSpec(participantsLedger, 1, replicationFactor, Map.of("retention.ms", "-1")));
        }
        return topics;
    }
}
