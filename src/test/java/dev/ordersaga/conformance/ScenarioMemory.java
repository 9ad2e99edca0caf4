package dev.ordersaga.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.ordersaga.json.Json;

/**
 * What the kit remembers of a scenario: the order id behind each label, each command as it was sent (so that a
 * repeat is the very same record), and the first answer to each correlation id. Written to the state file by the
 * before-restart phase and read back by the after-restart phase.
 */
final class ScenarioMemory {

    /**
     * A command record as sent (key, value, headers), its correlation id, and the contract headers its reply must
     * carry: the body's ids, which are also the headers' unless a step makes them disagree.
     */
    record Sent(String key, String value, Map<String, String> headers, String correlationId,
                Map<String, String> replyHeaders) {
    }

    /** The state file's content. */
    record State(String participant, Map<String, String> orderIds, Map<String, Sent> sent,
                 Map<String, String> firstAnswers) {
    }

    private final String participant;
    private final Map<String, String> orderIds;
    private final Map<String, Sent> sent;
    private final Map<String, String> firstAnswers;

    ScenarioMemory(String participant) {
        this(new State(participant, new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>()));
    }

    private ScenarioMemory(State state) {
        this.participant = state.participant();
        this.orderIds = new LinkedHashMap<>(state.orderIds());
        this.sent = new LinkedHashMap<>(state.sent());
        this.firstAnswers = new LinkedHashMap<>(state.firstAnswers());
    }

    String orderId(String label) {
        return orderIds.computeIfAbsent(label, l -> UUID.randomUUID().toString());
    }

    void sent(String command, String label, Sent record) {
        sent.putIfAbsent(command + " " + label, record);
    }

    Sent sent(String command, String label) {
        Sent record = sent.get(command + " " + label);
        if (record == null) {
            throw new IllegalStateException("the kit's scenario repeats " + command + " to " + label
                    + " before sending it");
        }
        return record;
    }

    void answered(String correlationId, String answer) {
        firstAnswers.putIfAbsent(correlationId, answer);
    }

    String firstAnswer(String correlationId) {
        return firstAnswers.get(correlationId);
    }

    void save(Path file) throws IOException {
        Files.write(file, Json.write(new State(participant, orderIds, sent, firstAnswers)));
    }

    static ScenarioMemory load(Path file, String participant) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(file + " is missing: run --phase before-restart first");
        }
        State state = Json.read(Files.readAllBytes(file), State.class);
        if (!participant.equals(state.participant())) {
            throw new IllegalArgumentException(file + " was written for " + state.participant() + ", not "
                    + participant);
        }
        return new ScenarioMemory(state);
    }
}
