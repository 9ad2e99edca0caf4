package dev.ordersaga.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.utils.Utils;

import dev.ordersaga.messaging.MessageHeaders;

/**
 * What the contract requires of every reply, whatever it answers: keyed by its order id, on the partition Kafka's
 * Java default partitioner gives that key, with the command's headers, and a body that is a reply. Each requirement
 * is one check of the report, failed by the first replies that break it.
 */
final class ReplyChecks {

    private static final int SHOWN = 3;
    private static final Set<String> OUTCOMES = Set.of("SUCCESS", "FAILURE");

    private final String participant;
    private final int partitions;
    private final List<String> keys = new ArrayList<>();
    private final List<String> placements = new ArrayList<>();
    private final List<String> headers = new ArrayList<>();
    private final List<String> bodies = new ArrayList<>();
    private int checked;

    ReplyChecks(String participant, int partitions) {
        this.participant = participant;
        this.partitions = partitions;
    }

    /** The partition of a key: {@code toPositive(murmur2(utf8(key))) % partitions}, as the Java client's default. */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Checks a reply against the command it answers. */
    void check(ReceivedReply reply, ScenarioMemory.Sent command, String orderId) {
        checked++;
        String id = command.correlationId();
        if (!orderId.equals(reply.key())) {
            keys.add(id + ": key " + reply.key() + ", not the order id " + orderId);
        } else if (reply.partition() != partitionOf(orderId, partitions)) {
            placements.add(id + ": partition " + reply.partition() + ", not " + partitionOf(orderId, partitions));
        }
        for (String header : List.of(MessageHeaders.SAGA_ID, MessageHeaders.CORRELATION_ID,
                MessageHeaders.COMMAND_TYPE)) {
            if (!command.replyHeaders().get(header).equals(reply.headers().get(header))) {
                headers.add(id + ": header " + header + " is " + reply.headers().get(header) + ", not the command "
                        + "body's " + command.replyHeaders().get(header));
            }
        }
        bodies.addAll(bodyProblems(reply, command, orderId));
    }

    private List<String> bodyProblems(ReceivedReply reply, ScenarioMemory.Sent command, String orderId) {
        String id = command.correlationId();
        if (reply.body() == null || !reply.body().isObject()) {
            return List.of(id + ": the value is not a JSON object: " + reply.raw());
        }
        List<String> problems = new ArrayList<>();
        Map<String, String> expected = Map.of("correlationId", id,
                "sagaId", command.replyHeaders().get(MessageHeaders.SAGA_ID), "orderId", orderId,
                "commandType", command.replyHeaders().get(MessageHeaders.COMMAND_TYPE), "participant", participant);
        expected.forEach((field, value) -> {
            if (!value.equals(reply.text(field))) {
                problems.add(id + ": " + field + " is " + reply.text(field) + ", not " + value);
            }
        });
        if (!OUTCOMES.contains(String.valueOf(reply.text("outcome")))) {
            problems.add(id + ": outcome is " + reply.text("outcome") + ", not SUCCESS or FAILURE");
        }
        if ("FAILURE".equals(reply.text("outcome")) && (reply.text("reasonCode") == null
                || reply.text("reason") == null)) {
            problems.add(id + ": a FAILURE without its reasonCode and reason");
        }
        if (reply.body().get("retryable") == null || !reply.body().get("retryable").isBoolean()
                || reply.text("at") == null) {
            problems.add(id + ": retryable (a boolean) or at missing");
        }
        return problems;
    }

    void report(CheckReport report) {
        String of = checked + " replies";
        report.check(keys.isEmpty(), "reply key", keys.isEmpty() ? of + " keyed by their order id" : shown(keys));
        report.check(placements.isEmpty(), "reply partition", placements.isEmpty()
                ? of + " on the partition toPositive(murmur2(utf8(order id))) % " + partitions + " gives"
                : shown(placements));
        report.check(headers.isEmpty(), "reply headers", headers.isEmpty()
                ? of + " with the saga-id, correlation-id and command-type of the command's body" : shown(headers));
        report.check(bodies.isEmpty(), "reply body", bodies.isEmpty()
                ? of + " with the command's ids, participant " + participant + ", an outcome, a reasonCode and "
                        + "reason on every FAILURE" : shown(bodies));
    }

    private static String shown(List<String> problems) {
        return String.join("; ", problems.subList(0, Math.min(SHOWN, problems.size())))
                + (problems.size() > SHOWN ? "; and " + (problems.size() - SHOWN) + " more" : "");
    }
}
