package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import dev.ordersaga.api.ApiProblem;
import dev.ordersaga.api.OrderApi;
import dev.ordersaga.api.OrderRequestParser;
import dev.ordersaga.api.ProblemType;
import dev.ordersaga.domain.OrderSnapshot;
import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.orders.OrderBook;
import dev.ordersaga.orders.OrderPlacement;
import dev.ordersaga.orders.OrderStore;
import dev.ordersaga.saga.SagaOwnership;

/**
 * The answer to a POST whose order was recorded but is not shown any more (its record was lost, as with a broker that
 * kept no data across a restart): 503 not confirmed, to be repeated with the Idempotency-Key, never a 500.
 */
class PlacedOrderAnswerTest {

    private final OrderBook book = new OrderBook(10, Duration.ofHours(24), new NoStore(), new SagaOwnership(1), Clock.systemUTC());
    private final OrderApi api = new OrderApi(book, new OrderPlacement(book, new NoStore()),
            () -> new FlowVersion("order-saga", 1), null, new SagaOwnership(1), new OrderRequestParser(50, 1000),
            new OrderApi.Limits(65536, 30, 20, 200, Duration.ofSeconds(5), 500), null, "replica-1", Optional.empty(), Clock.systemUTC());

    @Test
    void anOrderNoLongerShownIsAnswered503NotConfirmed() throws Exception {
        for (String prefer : new String[] {null, "wait=1"}) {
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());
            exchange.getMessage().setHeader(MessageHeaders.ORDER_ID, "lost-order");
            exchange.getMessage().setHeader("Prefer", prefer);

            api.answerPlacedOrder().process(exchange);

            assertThat(exchange.getException()).as("Prefer: %s", prefer).isInstanceOf(ApiProblem.class);
            assertThat(((ApiProblem) exchange.getException()).type()).isEqualTo(ProblemType.NOT_CONFIRMED);
        }
    }

    /** A store that never had a record. */
    private static final class NoStore implements OrderStore {
        @Override
        public CompletableFuture<Void> save(OrderSnapshot snapshot) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> saveAndReadBack(OrderSnapshot snapshot) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void forget(String orderId) {
        }

        @Override
        public void follow(OrderChanges changes) {
        }

        @Override
        public CompletableFuture<Void> caughtUp(Set<Integer> partitions) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
