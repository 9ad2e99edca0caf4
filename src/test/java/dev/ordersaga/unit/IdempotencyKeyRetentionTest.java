package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.OrderLine;
import dev.ordersaga.domain.OrderStatus;
import dev.ordersaga.domain.OrderView;
import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.orders.IdempotencyKeyReusedException;
import dev.ordersaga.orders.OrderBook;
import dev.ordersaga.orders.OrderPlacement;
import dev.ordersaga.orders.OrderPlacement.Placement;
import dev.ordersaga.orders.SagaProgress;
import dev.ordersaga.testsupport.InMemoryOrderStore;
import dev.ordersaga.saga.SagaOwnership;

/**
 * An Idempotency-Key is honoured for its stated time (here 24 h) from the moment its order was placed, however many
 * orders pass meanwhile: also once its order has left the ended orders kept in memory (here only one), and after a
 * restart that reads the order store again; just after that time it is forgotten, and its order's record deleted.
 */
class IdempotencyKeyRetentionTest {

    private static final FlowVersion FLOW = new FlowVersion("order-saga", 1);
    private static final Duration RETENTION = Duration.ofHours(24);
    private static final Duration JUST = Duration.ofMillis(1);

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T08:00:00Z"));
    private final InMemoryOrderStore store = new InMemoryOrderStore();
    private final SagaOwnership ownership = new SagaOwnership(1);
    private final OrderBook book = book(store);
    private final OrderPlacement placement = new OrderPlacement(book, store);
    private final SagaProgress progress = new SagaProgress(book, store, ownership, clock);
    private int orders;

    IdempotencyKeyRetentionTest() {
        ownership.assign(List.of(0));
        ownership.recovered(0);
    }

    @Test
    void aKeyIsHonouredJustBeforeItsTimeIsUpAndForgottenAfterEvenOnceItsOrderHasLeftMemory() {
        String first = placeAndApprove("key-1", "hash-a");
        placeAndApprove(null, null);
        assertThat(book.view(first)).as("only one ended order is kept").isEmpty();
        assertThat(store.deleted()).as("its record stays while its key is remembered").doesNotContain(first);

        clock.move(RETENTION.minus(JUST));
        Placement repeat = placement.place(newOrder(), FLOW, "key-1", "hash-a", null).join();
        assertThat(repeat).isEqualTo(new Placement(first, false));
        OrderView remembered = book.viewOfKeyHolder("key-1", first).orElseThrow();
        assertThat(remembered.status()).isEqualTo(OrderStatus.APPROVED);
        assertThat(remembered.sagaFinished()).isTrue();
        assertThatThrownBy(() -> placement.place(newOrder(), FLOW, "key-1", "hash-b", null))
                .isInstanceOf(IdempotencyKeyReusedException.class);

        clock.move(JUST);
        assertThat(book.knowsIdempotencyKey("key-1")).isFalse();
        // forgotten: its record is deleted at the next order's end, and the key places a new order
        String again = placeAndApprove("key-1", "hash-b");
        assertThat(again).isNotEqualTo(first);
        assertThat(store.deleted()).contains(first);
        assertThat(book.viewOfKeyHolder("key-1", first)).isEmpty();
    }

    @Test
    void aKeyWhoseOrderIsStillInMemoryIsForgottenAfterItsTimeToo() {
        String first = placeAndApprove("key-2", "hash-a");

        clock.move(RETENTION.minus(JUST));
        assertThat(placement.place(newOrder(), FLOW, "key-2", "hash-a", null).join()).isEqualTo(new Placement(first, false));

        clock.move(JUST);
        String second = place("key-2", "hash-a");
        assertThat(second).isNotEqualTo(first);
        assertThat(book.view(first)).as("its order itself is still shown").isPresent();
    }

    @Test
    void aRestartRemembersAKeyWhoseOrderHadLeftMemory() {
        String first = placeAndApprove("key-3", "hash-a");
        placeAndApprove(null, null);
        clock.move(RETENTION.minus(JUST));

        // a replica started now reads the order store from the beginning
        OrderBook restarted = book(store);
        restarted.follow(orderId -> { });
        OrderPlacement restartedPlacement = new OrderPlacement(restarted, store);

        assertThat(restartedPlacement.place(newOrder(), FLOW, "key-3", "hash-a", null).join())
                .isEqualTo(new Placement(first, false));
        clock.move(JUST);
        assertThat(restarted.knowsIdempotencyKey("key-3")).isFalse();
    }

    private OrderBook book(InMemoryOrderStore log) {
        OrderBook created = new OrderBook(1, RETENTION, log, ownership, clock);
        if (!log.followed()) {
            created.follow(orderId -> { });
        }
        return created;
    }

    /** Places an order (read back at once), returning the id of the order that stands for it. */
    private String place(String key, String hash) {
        return placement.place(newOrder(), FLOW, key, hash, null).join().orderId();
    }

    private String placeAndApprove(String key, String hash) {
        String orderId = place(key, hash);
        progress.completed(orderId);
        progress.sagaEnded(orderId, false);
        return orderId;
    }

    private Order newOrder() {
        orders++;
        return new Order("o-" + orders, "c-1", "c@example.com", "EUR",
                List.of(new OrderLine("BOOK-42", 1, new BigDecimal("12.50"))), "tok_visa", new BigDecimal("12.50"),
                clock.instant());
    }

    /** A clock the test moves on by hand. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
