package dev.ordersaga.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the application opened (clients, pools, the embedded broker), closed newest first when it stops. */
final class Resources implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Resources.class);

    private final List<AutoCloseable> opened = new ArrayList<>();

    synchronized <T extends AutoCloseable> T closeOnStop(T resource) {
        opened.add(resource);
        return resource;
    }

    /**
     * A fixed pool whose queue never refuses: Camel's pools run a task on the caller's thread when they refuse it,
     * and the callers here are Kafka's I/O and consumer threads, which must never run saga work. Closed on stop.
     */
    ExecutorService unboundedPool(String name, int threads) {
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        closeOnStop(pool::shutdown);
        return pool;
    }

    /** Closes everything, newest first; safe to call more than once. */
    @Override
    public synchronized void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                LOG.warn("Could not close {}", opened.get(i), e);
            }
        }
        opened.clear();
    }
}
