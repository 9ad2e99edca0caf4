package dev.ordersaga.flowtest;

import static org.assertj.core.api.Assertions.assertThat;
import org.assertj.core.api.Assertions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.ordersaga.domain.OrderStatus;
import dev.ordersaga.domain.OrderView;
import dev.ordersaga.domain.RejectionReason;
import dev.ordersaga.flow.FlowDeclaration;
import dev.ordersaga.messaging.Reply;
import dev.ordersaga.saga.SagaListener.SagaOutcome;

/**
 * One saga of a flow under test, driven by the test: what it is expected to send next, how each command is answered,
 * when time passes, and how it ends. Every expectation waits (in real time, up to a few seconds, usually
 * milliseconds) for the routes to get there, and fails naming what was sent instead.
 */
public final class SagaScenario {

    private final SagaFlowTestKit kit;
    private final FlowDeclaration flow;
    private final String orderId;
    /** How many of this saga's commands the test has been shown so far. */
    private int seen;

    SagaScenario(SagaFlowTestKit kit, FlowDeclaration flow, String orderId) {
        this.kit = kit;
        this.flow = flow;
        this.orderId = orderId;
    }

    public String orderId() {
        return orderId;
    }

    public FlowDeclaration flow() {
        return flow;
    }

    /** The commands sent next, together (a stage, a compensation, an email): as a set, since parallel ones race. */
    public SagaScenario expect(String... commands) {
        List<RecordedCommands.Sent> sent = kit.commands().awaitAtLeast(orderId, seen + commands.length,
                SagaFlowTestKit.PATIENCE);
        List<String> next = names(sent.subList(Math.min(seen, sent.size()), sent.size()));
        assertThat(next).as("the commands the saga of %s sent next (all it sent: %s)", orderId, names(sent))
                .containsExactlyInAnyOrder(commands);
        seen += commands.length;
        return this;
    }

    /** Answers the latest send of {@code command}. */
    public SagaScenario reply(String command, Answer answer) {
        RecordedCommands.Sent sent = latest(command);
        sent.written().complete(null);
        Reply reply = new Reply(sent.command().correlationId(), sent.command().sagaId(), orderId, command,
                answer.outcome(), answer.reasonCode(), answer.reason(), answer.retryable(), sent.type().participant().name(),
                Instant.now());
        kit.correlator().deliver(reply);
        return this;
    }

    /** Expects these commands next and answers each with SUCCESS. */
    public SagaScenario succeed(String... commands) {
        expect(commands);
        for (String command : commands) {
            reply(command, Answer.success());
        }
        return this;
    }

    /** Expects this command next and answers it with a business failure of this code. */
    public SagaScenario fail(String command, String reasonCode) {
        expect(command);
        return reply(command, Answer.failure(reasonCode, "refused in a test: " + reasonCode));
    }

    /**
     * Expects these commands one after the other, in any order, each answered with SUCCESS before the next is sent:
     * the compensations of a parallel group, undone one at a time in the (racy) order their steps were enlisted.
     */
    public SagaScenario compensatedInAnyOrder(String... commands) {
        Set<String> left = new HashSet<>(Arrays.asList(commands));
        while (!left.isEmpty()) {
            List<RecordedCommands.Sent> sent = kit.commands().awaitAtLeast(orderId, seen + 1,
                    SagaFlowTestKit.PATIENCE);
            if (sent.size() <= seen) {
                Assertions.fail("the saga of %s sent none of %s (all it sent: %s)", orderId, left, names(sent));
            }
            String next = sent.get(seen).type().wireName();
            assertThat(left).as("the command the saga of %s sent next (all it sent: %s)", orderId, names(sent))
                    .contains(next);
            left.remove(next);
            seen++;
            reply(next, Answer.success());
        }
        return this;
    }

    /**
     * Every send of {@code command} since those expected is a repeat of it (sent again after a timeout, unanswered):
     * the test is shown them all at once. There must be at least one.
     */
    public SagaScenario sentAgain(String command) {
        List<String> all = names(kit.commands().awaitAtLeast(orderId, seen + 1, SagaFlowTestKit.PATIENCE));
        int repeats = 0;
        while (seen < all.size() && all.get(seen).equals(command)) {
            seen++;
            repeats++;
        }
        assertThat(repeats).as("sends of %s again by the saga of %s (all it sent: %s)", command, orderId, all)
                .isPositive();
        return this;
    }

    /** Every command the saga sends from now on is answered with SUCCESS, until it ends. */
    public SagaScenario restSucceeds() {
        long deadline = System.nanoTime() + SagaFlowTestKit.PATIENCE.toNanos();
        while (true) {
            kit.awaitQuiet();
            List<RecordedCommands.Sent> all = kit.commands().of(orderId);
            if (all.size() > seen) {
                all.subList(seen, all.size()).forEach(sent -> reply(sent.type().wireName(), Answer.success()));
                seen = all.size();
            } else if (kit.outcome(orderId).isDone()) {
                return this;
            } else if (System.nanoTime() > deadline) {
                Assertions.fail("the saga of %s neither sent more nor ended (it sent %s)", orderId, names(all));
            }
        }
    }

    /** The command could not be handed to Kafka (the broker refused it). */
    public SagaScenario sendFails(String command) {
        latest(command).written().completeExceptionally(new IllegalStateException("the broker refused " + command));
        return this;
    }

    /** No reply comes: time passes beyond the step timeout. */
    public SagaScenario noReplyInTime() {
        return advance(kit.stepTimeout().plusMillis(1));
    }

    /** Time passes, once the flow has done what it does without it (and Kafka has taken every command sent). */
    public SagaScenario advance(Duration duration) {
        kit.awaitQuiet();
        kit.commands().writeAllPending();
        kit.awaitQuiet();
        kit.timer().advance(duration);
        return this;
    }

    /** Nothing more is sent for this saga: it waits, or has ended. */
    public SagaScenario expectNothingMoreSent() {
        List<String> all = names(kit.commands().of(orderId));
        assertThat(all.subList(Math.min(seen, all.size()), all.size()))
                .as("commands the saga of %s sent after those expected (all it sent: %s)", orderId, all).isEmpty();
        return this;
    }

    /** The saga ends with this outcome, and its order shows it. */
    public SagaScenario expectOutcome(SagaOutcome outcome) {
        try {
            assertThat(kit.outcome(orderId).get(SagaFlowTestKit.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                    .as("how the saga of %s ended", orderId).isEqualTo(outcome);
        } catch (TimeoutException e) {
            Assertions.fail("the saga of %s did not end within %s (it sent %s)", orderId, SagaFlowTestKit.PATIENCE,
                    names(kit.commands().of(orderId)));
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
        expectNothingMoreSent();
        return this;
    }

    public SagaScenario expectApproved() {
        expectOutcome(SagaOutcome.COMPLETED);
        assertThat(order().status()).isEqualTo(OrderStatus.APPROVED);
        return this;
    }

    /** REJECTED, for this reason: its code and the sentence the customer is told. */
    public SagaScenario expectRejected(RejectionReason reason) {
        expectOutcome(SagaOutcome.COMPENSATED);
        assertThat(order().status()).isEqualTo(OrderStatus.REJECTED);
        assertThat(order().reasonCode()).isEqualTo(reason.code());
        assertThat(order().reason()).isEqualTo(reason.message());
        return this;
    }

    /** What the order shows now, as GET /api/orders/{id} would. */
    public OrderView order() {
        return kit.orders().view(orderId).orElseThrow();
    }

    /** Every send of this command for this saga so far, oldest first. */
    public List<RecordedCommands.Sent> sent(String command) {
        return kit.commands().of(orderId).stream().filter(sent -> sent.type().wireName().equals(command)).toList();
    }

    /** Every command sent for this saga so far, by name, in order. */
    public List<String> commandsSent() {
        return names(kit.commands().of(orderId));
    }

    private RecordedCommands.Sent latest(String command) {
        List<RecordedCommands.Sent> sent = kit.commands().of(orderId);
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).type().wireName().equals(command)) {
                return sent.get(i);
            }
        }
        throw new AssertionError("the saga of " + orderId + " never sent " + command + " (it sent " + names(sent)
                + ")");
    }

    private static List<String> names(List<RecordedCommands.Sent> sent) {
        List<String> names = new ArrayList<>();
        sent.forEach(s -> names.add(s.type().wireName()));
        return names;
    }
}
