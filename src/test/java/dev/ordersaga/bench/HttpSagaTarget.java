package dev.ordersaga.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.ordersaga.domain.OrderStatus;

/**
 * The orchestrator, driven as a client would: {@code POST /api/orders} over HTTP/1.1 keep-alive connections
 * ({@link KeepAliveHttpClient}, asynchronous, so the driver never blocks). A saga has ended when its order is final
 * and its confirmation email is done — what {@code Prefer: wait} waits for. Two ways to see that:
 * <ul>
 * <li>{@link Completion#HOOK} (default): the POST without {@code Prefer} (202, order durable), then the order id
 * from {@code Location} handed to a {@link SagaEnds}: the application's {@code OrderBook} in this JVM, or the
 * order topic tailed by the benchmark (replicas in processes of their own). No HTTP thread is held while the saga
 * runs, and nothing polls;</li>
 * <li>{@link Completion#WAIT}: the POST with {@code Prefer: wait=30}, ended when its 201 comes back: end to end
 * through HTTP only, but each saga in flight holds one of Undertow's worker threads.</li>
 * </ul>
 * With several base URLs (orchestrator replicas), the POSTs go to them in turn.
 */
final class HttpSagaTarget implements SagaTarget {

    enum Completion { HOOK, WAIT }

    static final String SKU = "BENCH-1";
    static final String CARD = "tok_visa";
    static final String BODY = "{\"customerId\":\"bench\",\"customerEmail\":\"bench@example.com\",\"currency\":\"EUR\","
            + "\"items\":[{\"sku\":\"" + SKU + "\",\"quantity\":1,\"unitPrice\":\"1.00\"}],"
            + "\"payment\":{\"cardToken\":\"" + CARD + "\"}}";

    /**
     * At most this many requests on the wire at once (one connection each: HTTP/1.1 without pipelining); beyond it
     * requests wait here, still timed from their scheduled start.
     */
    static final int MAX_CONNECTIONS = 1000;

    private final AtomicInteger active = new AtomicInteger();
    private final java.util.Queue<Outcome> queued = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final String name;
    private final SagaEnds ends;
    private final Completion completion;
    private final KeepAliveHttpClient client;
    private final List<KeepAliveHttpClient.Request> requests;
    private final AtomicLong sent = new AtomicLong();

    HttpSagaTarget(String name, String baseUrl, SagaEnds ends, Completion completion) {
        this(name, List.of(baseUrl), ends, completion);
    }

    /** @param baseUrls the replicas' APIs, POSTed to in turn */
    HttpSagaTarget(String name, List<String> baseUrls, SagaEnds ends, Completion completion) {
        this.name = name;
        this.ends = ends;
        this.completion = completion;
        try {
            this.client = new KeepAliveHttpClient(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> headers = completion == Completion.WAIT
                ? List.of("Content-Type: application/json", "Prefer: wait=30")
                : List.of("Content-Type: application/json");
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        this.requests = baseUrls.stream()
                .map(baseUrl -> KeepAliveHttpClient.Request.post(baseUrl + "/api/orders", body, headers)).toList();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(Outcome outcome) {
        if (active.incrementAndGet() <= MAX_CONNECTIONS) {
            send(outcome);
        } else {
            active.decrementAndGet();
            queued.add(outcome);
            sendQueued();
        }
    }

    /** Sends what waits for a connection, as long as there is room. */
    private void sendQueued() {
        while (!queued.isEmpty()) {
            if (active.incrementAndGet() > MAX_CONNECTIONS) {
                active.decrementAndGet();
                return;
            }
            Outcome next = queued.poll();
            if (next == null) {
                active.decrementAndGet();
                return;
            }
            send(next);
        }
    }

    private void send(Outcome outcome) {
        KeepAliveHttpClient.Request request = requests.get((int) (sent.getAndIncrement() % requests.size()));
        client.send(request, (response, notAnswered) -> {
            active.decrementAndGet();
            sendQueued();
            if (notAnswered != null) {
                outcome.failed(notAnswered);
                return;
            }
            if (completion == Completion.WAIT) {
                String body = new String(response.body(), StandardCharsets.UTF_8);
                if (response.status() == 201 && body.contains("\"status\":\"APPROVED\"")) {
                    outcome.ok();
                } else {
                    outcome.failed(response.status() == 201 ? "ended, not APPROVED" : "http " + response.status());
                }
                return;
            }
            if (response.status() != 202) {
                outcome.failed("http " + response.status());
                return;
            }
            Optional<String> location = Optional.ofNullable(response.location());
            if (location.isEmpty()) {
                outcome.failed("no Location");
                return;
            }
            String orderId = location.get().substring(location.get().lastIndexOf('/') + 1);
            Optional<CompletableFuture<OrderStatus>> ended = ends.whenEnded(orderId);
            if (ended.isEmpty()) {
                outcome.failed("order unknown");
                return;
            }
            ended.get().whenComplete((status, failure) -> {
                if (failure != null) {
                    outcome.failed("saga " + failure.getClass().getSimpleName());
                } else if (status == OrderStatus.APPROVED) {
                    outcome.ok();
                } else {
                    outcome.failed("ended " + status);
                }
            });
        });
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
