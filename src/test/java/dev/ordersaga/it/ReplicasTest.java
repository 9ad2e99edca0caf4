package dev.ordersaga.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;

import dev.ordersaga.app.OrderSagaApplication;
import dev.ordersaga.saga.SagaTraces;
import dev.ordersaga.testsupport.InMemorySpans;
import dev.ordersaga.trace.SpanAttributes;

/**
 * Two orchestrator replicas on one real broker (the reference participants run in the first): every replica takes
 * orders, the sagas are shared by partition, both answer alike, one Idempotency-Key makes one order whichever
 * replicas its requests reach, and a replica that is stopped hands its sagas over without waiting for its session
 * to time out, its sagas going on in the trace of their order. (Replicas in processes of their own, killed with -9: {@code ScaleTest}.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasTest {

    private static final int PARTITIONS = 6;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

    private static TwoReplicas replicas;
    private static OrderSagaApplication first;
    private static OrderSagaApplication second;
    private static ApiClient firstApi;
    private static ApiClient secondApi;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        replicas = TwoReplicas.start(PARTITIONS, Map.of(
                "otel.traces.exporter", InMemorySpans.EXPORTER,
                "otel.bsp.schedule.delay", "50"));
        first = replicas.first();
        second = replicas.second();
        firstApi = replicas.firstApi();
        secondApi = replicas.secondApi();
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (replicas != null) {
            replicas.close();
        }
    }

    @Test
    @Order(1)
    void eachPartitionIsDrivenByExactlyOneReplica() {
        Set<Integer> firstOwns = first.ownership().assignedPartitions();
        Set<Integer> secondOwns = second.ownership().assignedPartitions();

        assertThat(firstOwns).doesNotContainAnyElementsOf(secondOwns);
        Set<Integer> all = new HashSet<>(firstOwns);
        all.addAll(secondOwns);
        assertThat(all).hasSize(PARTITIONS);
    }

    @Test
    @Order(2)
    void ordersPlacedOnEitherReplicaRunOnTheirOwnerAndAreAnsweredAlikeByBoth() {
        List<String> orderIds = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ApiClient api = i % 2 == 0 ? firstApi : secondApi;
            ApiClient.Answer placed = api.placeOrderAndWait(Orders.order("tok_visa", "BOOK-42:1:12.50"));
            assertThat(placed.status()).as(placed.body().toString()).isEqualTo(201);
            assertThat(placed.body().get("status").asText()).isEqualTo("APPROVED");
            orderIds.add(placed.body().get("orderId").asText());
        }

        for (String orderId : orderIds) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                ApiClient.Answer onFirst = firstApi.get("/api/orders/" + orderId);
                ApiClient.Answer onSecond = secondApi.get("/api/orders/" + orderId);
                assertThat(onFirst.body().get("status")).isEqualTo(onSecond.body().get("status"));
                assertThat(onSecond.body().get("sagaFinished").asBoolean()).isTrue();
            });
        }
        // each saga ran on the replica that owns its order's partition, whichever replica took the order
        long drivenByFirst = orderIds.stream().filter(id -> first.ownership().isAssigned(id)).count();
        assertThat(drivenByFirst).isBetween(1L, (long) orderIds.size() - 1);
    }

    @Test
    @Order(3)
    void oneIdempotencyKeySentToBothReplicasAtOnceMakesOneOrder() {
        int ordersBefore = first.orders().size();
        for (int i = 0; i < 10; i++) {
            String key = "replicas-key-" + i;
            String body = Orders.order("tok_visa", "BOOK-42:1:12.50");
            CompletableFuture<ApiClient.Answer> onFirst = firstApi.postAsync("/api/orders", "application/json", body,
                    null, key);
            CompletableFuture<ApiClient.Answer> onSecond = secondApi.postAsync("/api/orders", "application/json",
                    body, null, key);

            ApiClient.Answer a = onFirst.join();
            ApiClient.Answer b = onSecond.join();
            assertThat(a.status()).isEqualTo(202);
            assertThat(b.status()).isEqualTo(202);
            assertThat(a.body().get("orderId")).as("both requests stand for one order").isEqualTo(
                    b.body().get("orderId"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> first.orders().inFlight() == 0
                && second.orders().inFlight() == 0);
        assertThat(first.orders().size()).isEqualTo(ordersBefore + 10);
        assertThat(second.orders().size()).isEqualTo(ordersBefore + 10);
    }

    @Test
    @Order(4)
    void aReplicaStoppedWithSagasInFlightHandsThemOverWithoutWaitingForItsSessionToTimeOut() throws Exception {
        List<CompletableFuture<ApiClient.Answer>> placing = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            placing.add(secondApi.postAsync("/api/orders", "application/json",
                    Orders.order("tok_visa", "BOOK-42:1:12.50"), null));
        }
        List<String> orderIds = placing.stream().map(CompletableFuture::join)
                .map(answer -> answer.body().get("orderId").asText()).toList();

        long stopping = System.nanoTime();
        // stopped as SIGTERM stops it, on a thread of its own: stop() returns only once Camel has stopped
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
            try {
                second.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(SESSION_TIMEOUT.minusSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> first.ownership().ownedCount() == PARTITIONS);
        Duration takeover = Duration.ofNanos(System.nanoTime() - stopping);
        System.out.println("Takeover after a graceful stop: " + takeover.toMillis() + " ms");
        stopped.join();

        for (String orderId : orderIds) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ApiClient.Answer order = firstApi.get("/api/orders/" + orderId);
                assertThat(order.body().get("status").asText()).isEqualTo("APPROVED");
                assertThat(order.body().get("sagaFinished").asBoolean()).isTrue();
            });
        }
        second = null;

        // one trace per order across the hand-over: the saga span of each replica that drove it is a child of the
        // span of the request that placed it, and a saga the stopped replica had in flight goes on in that trace
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<SpanData> spans = InMemorySpans.exported();
            Map<String, List<SpanData>> sagaSpans = spans.stream()
                    .filter(span -> span.getName().equals(SagaTraces.SAGA_SPAN))
                    .filter(span -> orderIds.contains(span.getAttributes().get(SpanAttributes.ORDER_ID)))
                    .collect(Collectors.groupingBy(span -> span.getAttributes().get(SpanAttributes.ORDER_ID)));
            assertThat(sagaSpans).as("every order's saga ended in a span").hasSize(orderIds.size());
            sagaSpans.values().forEach(ofOrder -> {
                SpanData request = spans.stream().filter(span -> span.getKind() == SpanKind.SERVER)
                        .filter(span -> span.getSpanId().equals(ofOrder.get(0).getParentSpanId()))
                        .findFirst().orElseThrow(() -> new AssertionError("no request span above " + ofOrder));
                assertThat(ofOrder).allSatisfy(saga -> {
                    assertThat(saga.getTraceId()).isEqualTo(request.getTraceId());
                    assertThat(saga.getParentSpanId()).isEqualTo(request.getSpanId());
                });
            });
            assertThat(sagaSpans.values()).as("a saga taken over, in the trace of its order")
                    .anySatisfy(ofOrder -> assertThat(ofOrder).anySatisfy(saga -> assertThat(saga.getAttributes()
                            .get(SpanAttributes.RECOVERED)).isTrue()));
        });
    }
}
