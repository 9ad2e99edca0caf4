package dev.ordersaga.flowtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.CommandChannel;

/** Where a flow under test sends its commands: kept in the order they were sent, for the test to answer. */
public final class RecordedCommands implements CommandChannel {

    /** One command as it was sent, and how to report that its send failed. */
    public record Sent(CommandType type, Command command, Consumer<Throwable> onFailure) {
    }

    private final List<Sent> sent = new ArrayList<>();

    @Override
    public synchronized void publish(CommandType type, Command command, Consumer<Throwable> onFailure) {
        sent.add(new Sent(type, command, onFailure));
        notifyAll();
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
