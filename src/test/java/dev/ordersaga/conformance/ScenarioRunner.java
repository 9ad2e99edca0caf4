package dev.ordersaga.conformance;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.RejectionReason;
import dev.ordersaga.flow.CommandType;
import dev.ordersaga.flow.FlowCatalog;
import dev.ordersaga.json.Json;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.MessageHeaders;

/**
 * Sends a scenario's commands to the participant, one at a time, each once the answer to the one before has
 * arrived, and tells whether every answer was the one the step expects.
 */
final class ScenarioRunner {

    /** What a scenario came to: passed, or the step that went wrong and how. */
    record Result(boolean passed, String detail) {
    }

    private static final String CUSTOMER = "conformance-kit";
    /** What the headers of a command whose headers disagree with its body say instead. */
    private static final String HEADERS_SAY = "not-this-step";
    private static final String HEADERS_SAY_TYPE = "NotThisCommand";
    private static final String EMAIL = "conformance-kit@example.com";
    /** The rejection a SendOrderRejection carries, as the orchestrator sends one. */
    private static final RejectionReason REJECTION = RejectionReason.PAYMENT_DECLINED;

    private final FlowCatalog flows;
    private final Producer<String, String> producer;
    private final ReplyListener replies;
    private final ReplyChecks replyChecks;
    private final String commandTopic;
    private final String replyTopic;
    private final Duration replyTimeout;
    private final Clock clock;

    ScenarioRunner(FlowCatalog flows, Producer<String, String> producer, ReplyListener replies,
                   ReplyChecks replyChecks, String commandTopic, String replyTopic, Duration replyTimeout,
                   Clock clock) {
        this.flows = flows;
        this.producer = producer;
        this.replies = replies;
        this.replyChecks = replyChecks;
        this.commandTopic = commandTopic;
        this.replyTopic = replyTopic;
        this.replyTimeout = replyTimeout;
        this.clock = clock;
    }

    Result run(List<Step> steps, ScenarioMemory memory) throws Exception {
        List<String> answers = new ArrayList<>();
        List<ScenarioMemory.Sent> unanswerable = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String where = "step " + (i + 1) + ", " + step.command() + " to order " + step.order()
                    + (step.expect() == Step.Expect.FIRST_ANSWER ? " again" : "");
            ScenarioMemory.Sent sent = step.expect() == Step.Expect.FIRST_ANSWER
                    ? memory.sent(step.command(), step.order()) : record(step, memory);
            memory.sent(step.command(), step.order(), sent);
            int before = replies.count(sent.correlationId());
            send(sent);
            if (step.expect() == Step.Expect.NO_ANSWER) {
                unanswerable.add(sent);
                answers.add(step.command() + " " + step.order() + " → not answered");
                continue;
            }
            Optional<ReceivedReply> reply = replies.await(sent.correlationId(), before + 1, replyTimeout);
            if (reply.isEmpty()) {
                return new Result(false, where + ": no reply on " + replyTopic + " within " + replyTimeout.toMillis()
                        + " ms (expected " + step.expected() + ")");
            }
            String orderId = memory.orderId(step.order());
            replyChecks.check(reply.get(), sent, orderId);
            String answer = reply.get().answer();
            Optional<String> wrong = wrong(step, answer, memory.firstAnswer(sent.correlationId()));
            if (wrong.isPresent()) {
                return new Result(false, where + ": " + wrong.get() + " (reason: " + reply.get().text("reason") + ")");
            }
            memory.answered(sent.correlationId(), answer);
            answers.add(step.command() + " " + step.order() + " → " + answer);
        }
        for (ScenarioMemory.Sent sent : unanswerable) {
            if (replies.count(sent.correlationId()) > 0) {
                return new Result(false, "a record that cannot be answered was answered: "
                        + replies.all().stream().filter(r -> sent.correlationId().equals(r.correlationId()))
                        .findFirst().map(ReceivedReply::raw).orElse(""));
            }
        }
        return new Result(true, String.join(", ", answers));
    }

    private static Optional<String> wrong(Step step, String answer, String first) {
        return switch (step.expect()) {
            case FIRST_ANSWER -> first == null ? Optional.of("its first answer is not known to the kit")
                    : first.equals(answer) ? Optional.empty()
                    : Optional.of("answered " + answer + ", its first answer was " + first);
            case ANY_ANSWER -> answer.endsWith("(retryable)")
                    ? Optional.of("answered " + answer + ": a transient fault, run the kit again") : Optional.empty();
            case SUCCESS, FAILURE -> answer.equals(step.expected()) || (step.reasonCode() == null
                    && answer.startsWith(step.expected() + " ") && !answer.endsWith("(retryable)"))
                    ? Optional.empty() : Optional.of("answered " + answer + ", expected " + step.expected());
            case NO_ANSWER -> Optional.empty();
        };
    }

    /** The record of a step not sent before: a command as the orchestrator sends it, or the bad input asked for. */
    private ScenarioMemory.Sent record(Step step, ScenarioMemory memory) {
        String orderId = memory.orderId(step.order());
        Optional<CommandType> type = flows.command(step.command());
        if (step.command().equals(Step.UNPARSEABLE)) {
            String correlationId = orderId + ":not-json:do";
            Map<String, String> headers = headers(orderId, correlationId, "NotJson");
            return new ScenarioMemory.Sent(orderId, "{\"type\": \"truncated", headers, correlationId, headers);
        }
        String correlationId = type.map(t -> t.correlationId(orderId)).orElse(orderId + ":no-such-step:do");
        Map<String, String> replyHeaders = headers(orderId, correlationId, step.command());
        Map<String, String> headers = step.headersDisagree()
                ? headers(orderId, orderId + ":" + HEADERS_SAY + ":do", HEADERS_SAY_TYPE) : replyHeaders;
        if (step.spec() == Step.OrderSpec.UNREADABLE) {
            ObjectNode command = Json.MAPPER.valueToTree(new Command(step.command(), orderId, correlationId, null,
                    null, null, clock.instant()));
            command.putObject("order").put("orderId", orderId).put("items", "not a list");
            return new ScenarioMemory.Sent(orderId, command.toString(), headers, correlationId, replyHeaders);
        }
        Order order = step.spec() == null ? null : new Order(orderId, CUSTOMER, EMAIL, step.spec().currency(),
                step.spec().lines(), step.spec().cardToken(), step.spec().total(), clock.instant());
        boolean rejection = step.command().equals("SendOrderRejection");
        Command command = new Command(step.command(), orderId, correlationId, order,
                rejection ? REJECTION.code() : null, rejection ? REJECTION.message() : null, clock.instant());
        return new ScenarioMemory.Sent(orderId, Json.writeString(command), headers, correlationId, replyHeaders);
    }

    private Map<String, String> headers(String sagaId, String correlationId, String commandType) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(MessageHeaders.SAGA_ID, sagaId);
        headers.put(MessageHeaders.CORRELATION_ID, correlationId);
        headers.put(MessageHeaders.COMMAND_TYPE, commandType);
        headers.put(MessageHeaders.REPLY_TO, replyTopic);
        return headers;
    }

    private void send(ScenarioMemory.Sent sent) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        sent.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        producer.send(new ProducerRecord<>(commandTopic, null, sent.key(), sent.value(), headers))
                .get(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
