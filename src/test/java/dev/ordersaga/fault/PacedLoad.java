package dev.ordersaga.fault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Clients placing orders at a steady rate, spread round-robin over several APIs (order i goes first to API i mod n;
 * a client whose API is down goes on to the next, same Idempotency-Key). Orders are released to the clients in
 * portions, so that a scenario can make sure that orders arrive before, during and after each of its events, however
 * long the events take.
 */
final class PacedLoad implements AutoCloseable {

    private final List<String> bodies;
    private final List<AppProcess> apis;
    private final String keyPrefix;
    private final long nanosBetweenOrders;
    private final OrderClient client;
    private final ExecutorService clients;
    private final Thread dispatcher;
    private final Map<String, String> orderIdByKey = new ConcurrentHashMap<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private int released;
    private int accepted;

    /**
     * @param bodies      the orders, in the order they are placed; order i gets the key {@code keyPrefix + i}
     * @param perSecond   how many orders are sent per second (while released ones are left)
     * @param concurrency how many clients there are, so how many orders may be waiting for an answer at once
     */
    PacedLoad(List<String> bodies, List<AppProcess> apis, String keyPrefix, double perSecond, int concurrency,
              OrderClient client) {
        this.bodies = List.copyOf(bodies);
        this.apis = List.copyOf(apis);
        this.keyPrefix = keyPrefix;
        this.nanosBetweenOrders = (long) (1e9 / perSecond);
        this.client = client;
        this.clients = Executors.newFixedThreadPool(concurrency);
        this.dispatcher = new Thread(this::dispatch, "paced-load");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    int size() {
        return bodies.size();
    }

    /** Lets the clients place the orders up to {@code count} (of all of them) in total. */
    synchronized void releaseUpTo(int count) {
        released = Math.max(released, Math.min(count, bodies.size()));
        notifyAll();
    }

    synchronized int accepted() {
        return accepted;
    }

    /** Waits until {@code count} orders have been accepted. */
    synchronized void awaitAccepted(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (accepted < count && failure.get() == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("only " + accepted + " of " + count + " orders accepted within "
                        + timeout);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Every order accepted so far: its Idempotency-Key and the order id the API gave for it. */
    Map<String, String> orderIdByKey() {
        return Map.copyOf(orderIdByKey);
    }

    @Override
    public void close() {
        dispatcher.interrupt();
        clients.shutdownNow();
    }

    private void dispatch() {
        long next = System.nanoTime();
        try {
            for (int i = 0; i < bodies.size(); i++) {
                if (awaitRelease(i)) {
                    // the clients were idle, waiting for this portion: it starts now, not in a burst that catches up
                    next = System.nanoTime();
                }
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next += nanosBetweenOrders;
                int index = i;
                clients.execute(() -> place(index));
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** @return whether it had to wait */
    private synchronized boolean awaitRelease(int index) throws InterruptedException {
        boolean waited = false;
        while (released <= index) {
            waited = true;
            wait();
        }
        return waited;
    }

    private void place(int index) {
        String key = keyPrefix + index;
        try {
            String orderId = client.placeUntilAccepted(apis, index % apis.size(), key, bodies.get(index));
            orderIdByKey.put(key, orderId);
            synchronized (this) {
                accepted++;
                notifyAll();
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            synchronized (this) {
                notifyAll();
            }
        }
    }
}
