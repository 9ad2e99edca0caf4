package dev.ordersaga.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.flow.Participant;
import dev.ordersaga.operator.OperatorActionKind;
import dev.ordersaga.testsupport.Flows;

/**
 * docs/asyncapi.yaml against the declared flows, every version: a command channel for each participant, at its
 * command topic, carrying exactly its commands; a reply message for every command on the reply channel; both sides'
 * operations. It cannot be derived at run time (other teams read it as a file), so a missing or stale entry is named
 * here instead.
 */
class AsyncApiDeclarationTest {

    private static final String REPLIES = "order-saga.replies";
    /** The orchestrator's own channel: operator actions, from any replica to the one that drives the order. */
    private static final String OPERATOR_ACTIONS = "order-saga.operator-actions";
    private static final String OPERATOR_ACTION = "OperatorAction";

    private final JsonNode document = read();

    @Test
    void everyParticipantHasAChannelAtItsCommandTopicCarryingExactlyItsCommands() {
        Map<String, JsonNode> channelsByAddress = new TreeMap<>();
        document.path("channels").forEach(channel -> channelsByAddress.put(channel.path("address").asText(), channel));
        Set<String> topics = new TreeSet<>();
        for (Participant participant : Flows.catalog().participants()) {
            String topic = Flows.defaultCommandTopic(participant);
            topics.add(topic);
            assertThat(channelsByAddress).as("a channel for %s at %s", participant, topic).containsKey(topic);
            Set<String> declared = names(channelsByAddress.get(topic).path("messages"));
            Set<String> commands = new TreeSet<>();
            Flows.catalog().commandsOf(participant).forEach(command -> commands.add(command.wireName()));
            assertMissingAndStale("the messages of channel " + topic, declared, commands);
        }
        Set<String> stale = new TreeSet<>(channelsByAddress.keySet());
        stale.removeAll(topics);
        stale.remove(REPLIES);
        stale.remove(OPERATOR_ACTIONS);
        assertThat(stale).as("channels of docs/asyncapi.yaml that no declared flow commands").isEmpty();
    }

    @Test
    void theReplyChannelCarriesAnAnswerToEveryCommand() {
        JsonNode replies = null;
        for (JsonNode channel : document.path("channels")) {
            if (channel.path("address").asText().equals(REPLIES)) {
                replies = channel;
            }
        }
        assertThat(replies).as("a channel at " + REPLIES).isNotNull();
        Set<String> expected = new TreeSet<>();
        for (CommandType command : Flows.catalog().commands()) {
            expected.add(command.wireName() + "Reply");
        }
        assertMissingAndStale("the messages of channel " + REPLIES, names(replies.path("messages")), expected);
    }

    @Test
    void everyCommandAndReplyIsDescribedAsAMessageOfItsOwn() {
        Set<String> expected = new TreeSet<>();
        for (CommandType command : Flows.catalog().commands()) {
            expected.add(command.wireName());
            expected.add(command.wireName() + "Reply");
            JsonNode message = document.path("components").path("messages").path(command.wireName());
            assertThat(message.toString()).as("%s names its step and phase", command.wireName())
                    .contains(":" + command.step() + ":" + command.phase().wireName());
        }
        expected.add(OPERATOR_ACTION);
        assertMissingAndStale("components.messages", names(document.path("components").path("messages")), expected);
    }

    @Test
    void theOperatorActionChannelCarriesEveryKindOfAction() {
        JsonNode channel = null;
        for (JsonNode candidate : document.path("channels")) {
            if (candidate.path("address").asText().equals(OPERATOR_ACTIONS)) {
                channel = candidate;
            }
        }
        assertThat(channel).as("a channel at " + OPERATOR_ACTIONS).isNotNull();
        assertThat(names(channel.path("messages"))).containsExactly(OPERATOR_ACTION);
        Set<String> kinds = new TreeSet<>();
        document.at("/components/schemas/OperatorAction/properties/kind/enum").forEach(kind -> kinds.add(kind.asText()));
        Set<String> expected = new TreeSet<>();
        for (OperatorActionKind kind : OperatorActionKind.values()) {
            expected.add(kind.name());
        }
        assertMissingAndStale("the kinds of OperatorAction", kinds, expected);
    }

    @Test
    void bothSidesOfEveryCommandChannelHaveAnOperation() {
        Map<String, Set<String>> actionsByChannel = new TreeMap<>();
        document.path("operations").forEach(operation -> actionsByChannel
                .computeIfAbsent(operation.path("channel").path("$ref").asText(), ref -> new HashSet<>())
                .add(operation.path("action").asText()));
        document.path("channels").fields().forEachRemaining(channel -> assertThat(
                actionsByChannel.getOrDefault("#/channels/" + channel.getKey(), Set.of()))
                .as("the operations on channel %s", channel.getKey())
                .containsAll(channel.getValue().path("address").asText().equals(REPLIES) ? Set.of("receive")
                        : Set.of("send", "receive")));
    }

    private static void assertMissingAndStale(String where, Set<String> declared, Set<String> expected) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(declared);
        Set<String> stale = new TreeSet<>(declared);
        stale.removeAll(expected);
        assertThat(missing).as("%s of docs/asyncapi.yaml lack what the declared flows have", where).isEmpty();
        assertThat(stale).as("%s of docs/asyncapi.yaml name what no declared flow has", where).isEmpty();
    }

    private static Set<String> names(JsonNode map) {
        Set<String> names = new TreeSet<>();
        map.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode read() {
        try {
            return new YAMLMapper().readTree(Files.readString(ContractValidators.ASYNCAPI_DOCUMENT));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
