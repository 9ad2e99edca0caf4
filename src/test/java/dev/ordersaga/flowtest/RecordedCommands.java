package dev.ordersaga.flowtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.CommandChannel;

/**
 * Where a flow under test sends its commands: kept in the order they were sent, for the test to answer. A send is
 * written (as Kafka acknowledges it) when the test lets time pass or answers it, unless the test has it fail first.
 */
public final class RecordedCommands implements CommandChannel {

    /** One command as it was sent, and its send: written, or failed, when the test says. */
    public record Sent(CommandType type, Command command, CompletableFuture<Void> written) {
    }

    private final List<Sent> sent = new ArrayList<>();

    @Override
    public CompletionStage<Void> publish(CommandType type, Command command) {
        Sent one = new Sent(type, command, new CompletableFuture<>());
        synchronized (this) {
            sent.add(one);
            notifyAll();
        }
        return one.written();
    }

    /** Every send not yet written nor failed is written now (completed outside the lock: it runs the flow on). */
    void writeAllPending() {
        List<Sent> pending;
        synchronized (this) {
            pending = sent.stream().filter(s -> !s.written().isDone()).toList();
        }
        pending.forEach(s -> s.written().complete(null));
    }

    synchronized long count() {
        return sent.size();
    }

    /** The commands sent for this saga, oldest first. */
    synchronized List<Sent> of(String sagaId) {
        return sent.stream().filter(s -> s.command().sagaId().equals(sagaId)).toList();
    }

    /** Waits until at least {@code count} commands were sent for this saga; returns them all. */
    synchronized List<Sent> awaitAtLeast(String sagaId, int count, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        List<Sent> mine = of(sagaId);
        while (mine.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return mine;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return mine;
            }
            mine = new ArrayList<>(of(sagaId));
        }
        return mine;
    }
}
