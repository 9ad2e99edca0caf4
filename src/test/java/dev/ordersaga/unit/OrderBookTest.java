package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.OrderLine;
import dev.ordersaga.domain.OrderSnapshot;
import dev.ordersaga.domain.OrderStatus;
import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.orders.IdempotencyKeyReusedException;
import dev.ordersaga.orders.OrderBook;
import dev.ordersaga.orders.OrderPlacement;
import dev.ordersaga.orders.OrderPlacement.Placement;
import dev.ordersaga.orders.OrderStore;
import dev.ordersaga.orders.SagaProgress;
import dev.ordersaga.saga.SagaOwnership;

/**
 * The order book every replica builds from the shared order store: the same answers everywhere, the first order
 * with an Idempotency-Key standing for all requests with that key, an older snapshot never shown over a newer, and
 * only the replica that drives an order changing it.
 */
class OrderBookTest {

    private static final FlowVersion FLOW = new FlowVersion("order-saga", 1);

    private final SharedStore store = new SharedStore();
    private final SagaOwnership ownership = new SagaOwnership(1);
    private final OrderBook views = new OrderBook(100, Duration.ofHours(24), store, ownership, Clock.systemUTC());
    private final OrderPlacement placement = new OrderPlacement(views, store);
    private final SagaProgress progress = new SagaProgress(views, store, ownership, Clock.systemUTC());
    private final List<String> placedOrders = new CopyOnWriteArrayList<>();

    OrderBookTest() {
        views.follow(placedOrders::add);
    }

    @Test
    void anOrderIsAnsweredOnlyOnceItIsReadBackAndItsOwnerIsToldToStartIt() {
        CompletableFuture<Placement> placing = placement.place(order("o-1"), FLOW, null, null, null);
        assertThat(placing).isNotDone();
        assertThat(views.view("o-1")).isEmpty();

        store.deliverAll();

        assertThat(placing.join()).isEqualTo(new Placement("o-1", true));
        assertThat(views.view("o-1").orElseThrow().status()).isEqualTo(OrderStatus.PENDING);
        assertThat(placedOrders).containsExactly("o-1");
        assertThat(views.inFlight()).isEqualTo(1);
    }

    @Test
    void twoRequestsWithOneKeyPlacedAtOnceOnTwoReplicasMakeOneOrder() {
        ownership.assign(List.of(0));
        // both replicas checked the key before either placement was read back: the log decides
        CompletableFuture<Placement> first = placement.place(order("o-1"), FLOW, "key-1", "hash-a", null);
        CompletableFuture<Placement> second = placement.place(order("o-2"), FLOW, "key-1", "hash-a", null);

        store.deliverAll();

        assertThat(first.join()).isEqualTo(new Placement("o-1", true));
        assertThat(second.join()).isEqualTo(new Placement("o-1", false));
        assertThat(views.view("o-2")).isEmpty();
        assertThat(placedOrders).containsExactly("o-1");
        assertThat(store.deleted).containsExactly("o-2");
        assertThat(views.inFlight()).isEqualTo(1);
    }

    @Test
    void aKeyRaceLostWithAnotherBodyIsRefused() {
        placement.place(order("o-1"), FLOW, "key-1", "hash-a", null);
        CompletableFuture<Placement> other = placement.place(order("o-2"), FLOW, "key-1", "hash-b", null);

        store.deliverAll();

        assertThatThrownBy(other::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IdempotencyKeyReusedException.class);
    }

    @Test
    void aSagaThatMovedOnHoldsItsKeyOverAPlacementReadBackBeforeIt() {
        // read back from a compacted store: the winner's placement is gone, its later snapshot comes after the loser
        views.saved(snapshot("o-2", "key-1", OrderStatus.PENDING, false, 1));
        views.saved(snapshot("o-1", "key-1", OrderStatus.APPROVED, true, 3));

        assertThat(views.view("o-2")).isEmpty();
        assertThat(views.view("o-1").orElseThrow().status()).isEqualTo(OrderStatus.APPROVED);
        assertThat(views.inFlight()).isZero();
    }

    @Test
    void anOlderSnapshotNeverReplacesANewerOne() {
        views.saved(snapshot("o-1", null, OrderStatus.APPROVED, true, 3));

        views.saved(snapshot("o-1", null, OrderStatus.PENDING, false, 2));

        assertThat(views.view("o-1").orElseThrow().status()).isEqualTo(OrderStatus.APPROVED);
        assertThat(views.whenSagaEnded("o-1").orElseThrow()).isDone();
    }

    @Test
    void aReplicaThatDoesNotDriveAnOrderNeitherChangesNorWritesIt() {
        views.saved(snapshot("o-1", null, OrderStatus.PENDING, false, 1));

        progress.completed("o-1");
        progress.sagaEnded("o-1", false);

        assertThat(views.view("o-1").orElseThrow().status()).isEqualTo(OrderStatus.PENDING);
        assertThat(store.written).isEmpty();
    }

    @Test
    void theReplicaThatDrivesAnOrderShowsItsDecisionAtOnceAndWritesItWithTheSagasEndAsTheNextRevision() {
        ownership.assign(List.of(0));
        views.saved(snapshot("o-1", null, OrderStatus.PENDING, false, 1));

        progress.completed("o-1");
        assertThat(views.view("o-1").orElseThrow().status()).isEqualTo(OrderStatus.APPROVED);
        assertThat(store.written).as("the decision is durable in the saga journal already").isEmpty();
        progress.sagaEnded("o-1", false);

        assertThat(views.whenSagaEnded("o-1").orElseThrow()).isDone();
        assertThat(store.written).extracting(OrderSnapshot::revision).containsExactly(2L);
        assertThat(store.written.get(0).status()).isEqualTo(OrderStatus.APPROVED);
        assertThat(views.inFlight()).isZero();
    }

    @Test
    void anApprovedOrderWhoseConfirmationFailedIsRecordedSoForEveryReplicaUntilARetryDeliversIt() {
        ownership.assign(List.of(0));
        views.saved(snapshot("o-1", null, OrderStatus.PENDING, false, 1));
        progress.completed("o-1");

        progress.sagaEnded("o-1", false, true);

        assertThat(views.confirmationFailed("o-1")).isTrue();
        OrderSnapshot written = store.written.get(0);
        assertThat(written.status()).isEqualTo(OrderStatus.APPROVED);
        assertThat(written.confirmationFailed()).isTrue();
        OrderBook anotherReplica = new OrderBook(100, Duration.ofHours(24), new SharedStore(), new SagaOwnership(1),
                Clock.systemUTC());
        anotherReplica.saved(written);
        assertThat(anotherReplica.confirmationFailed("o-1")).as("read from the order record").isTrue();

        progress.sagaEnded("o-1", false, false);
        assertThat(views.confirmationFailed("o-1")).isFalse();
        assertThat(store.written.get(1).confirmationFailed()).isFalse();
    }

    private static Order order(String orderId) {
        return new Order(orderId, "c-1", "c@example.com", "EUR",
                List.of(new OrderLine("BOOK-42", 1, new BigDecimal("12.50"))), "tok_visa", new BigDecimal("12.50"),
                Instant.now());
    }

    private static OrderSnapshot snapshot(String orderId, String key, OrderStatus status, boolean ended,
                                          long revision) {
        return new OrderSnapshot(order(orderId), FLOW, status, null, null, List.of(), ended, Instant.now(), key,
                key == null ? null : "hash-a", revision, false, null);
    }

    /** The shared store as a log: placements reach the views only when delivered, in the order they were written. */
    private static final class SharedStore implements OrderStore {
        final Queue<Runnable> undelivered = new ArrayDeque<>();
        final List<OrderSnapshot> written = new ArrayList<>();
        final List<String> deleted = new ArrayList<>();
        OrderChanges changes;

        @Override
        public CompletableFuture<Void> save(OrderSnapshot snapshot) {
            written.add(snapshot);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> saveAndReadBack(OrderSnapshot snapshot) {
            CompletableFuture<Void> readBack = new CompletableFuture<>();
            undelivered.add(() -> {
                changes.saved(snapshot);
                readBack.complete(null);
            });
            return readBack;
        }

        @Override
        public void forget(String orderId) {
            deleted.add(orderId);
        }

        @Override
        public void follow(OrderChanges changes) {
            this.changes = changes;
        }

        @Override
        public CompletableFuture<Void> caughtUp(Set<Integer> partitions) {
            return CompletableFuture.completedFuture(null);
        }

        void deliverAll() {
            while (!undelivered.isEmpty()) {
                undelivered.poll().run();
            }
        }
    }
}
