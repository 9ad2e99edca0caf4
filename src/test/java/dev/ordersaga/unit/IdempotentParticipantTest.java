package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.OrderLine;
import dev.ordersaga.flow.CommandType;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.Reply;
import dev.ordersaga.participants.IdempotentParticipant;
import dev.ordersaga.participants.InventoryService;
import dev.ordersaga.participants.NotificationService;
import dev.ordersaga.participants.ParticipantLedger;
import dev.ordersaga.participants.PaymentService;
import dev.ordersaga.testsupport.Flows;

/** Idempotency per correlation id and commutative compensation, the rules every participant shares. */
class IdempotentParticipantTest {

    private final Clock clock = Clock.systemUTC();
    private final InventoryService inventory = new InventoryService(
            List.of(new InventoryService.StockItem("SKU-1", 5, new BigDecimal("2.00"))));
    private final IdempotentParticipant participant = new IdempotentParticipant(inventory, Flows.catalog()::command,
            ParticipantLedger.NONE, clock);

    @Test
    void aRepeatedCommandGetsTheFirstReplyAndAppliesNothingTwice() {
        Command reserve = command(Flows.command("ReserveInventory"), "saga-1", 2);

        Reply first = participant.handle(reserve).reply();
        Reply repeat = participant.handle(reserve).reply();

        assertThat(first.succeeded()).isTrue();
        assertThat(repeat).isEqualTo(first);
        assertThat(inventory.view().get(0).available()).isEqualTo(3);
        assertThat(participant.repeatsAnswered()).isEqualTo(1);
    }

    @Test
    void anUndoBeforeItsDoIsRememberedAndTheLateDoIsRefused() {
        Reply undo = participant.handle(command(Flows.command("ReleaseInventory"), "saga-2", 2)).reply();
        Reply lateDo = participant.handle(command(Flows.command("ReserveInventory"), "saga-2", 2)).reply();

        assertThat(undo.succeeded()).isTrue();
        assertThat(lateDo.succeeded()).isFalse();
        assertThat(lateDo.reason()).isEqualTo("reserve-inventory was already compensated");
        assertThat(inventory.view().get(0).available()).isEqualTo(5);
    }

    @Test
    void anUndoAfterItsDoRestoresTheStockOnce() {
        participant.handle(command(Flows.command("ReserveInventory"), "saga-3", 4)).reply();
        participant.handle(command(Flows.command("ReleaseInventory"), "saga-3", 4)).reply();
        participant.handle(command(Flows.command("ReleaseInventory"), "saga-3", 4)).reply();

        assertThat(inventory.view().get(0).available()).isEqualTo(5);
        assertThat(inventory.view().get(0).reserved()).isZero();
    }

    @Test
    void aRefusalIsRememberedLikeAnyAnswer() {
        Reply tooMany = participant.handle(command(Flows.command("ReserveInventory"), "saga-4", 6)).reply();
        participant.handle(command(Flows.command("ReserveInventory"), "saga-5", 5)).reply();

        assertThat(tooMany.succeeded()).isFalse();
        assertThat(participant.handle(command(Flows.command("ReserveInventory"), "saga-4", 6)).reply()).isEqualTo(tooMany);
    }

    @Test
    void aTransientFailureIsNotRememberedSoTheSameCommandCanSucceedLater() {
        NotificationService notifications = new NotificationService("flaky.example", 1, clock);
        IdempotentParticipant mailer = new IdempotentParticipant(notifications, Flows.catalog()::command, ParticipantLedger.NONE, clock);
        Command confirm = new Command("SendOrderConfirmation", "saga-6", "saga-6:send-order-confirmation:do",
                order("saga-6", 1, "x@flaky.example"), null, null, Instant.now());

        Reply first = mailer.handle(confirm).reply();
        Reply second = mailer.handle(confirm).reply();
        Reply third = mailer.handle(confirm).reply();

        assertThat(first.succeeded()).isFalse();
        assertThat(first.retryable()).isTrue();
        assertThat(second.succeeded()).isTrue();
        assertThat(third).isEqualTo(second);
        assertThat(notifications.view()).hasSize(1);
        assertThat(notifications.view().get(0).attempts()).isEqualTo(2);
        assertThat(notifications.view().get(0).body()).isEqualTo("Thank you for your order. We will ship:\n"
                + "1 x SKU-1 @ 2.00 EUR = 2.00 EUR" + System.lineSeparator()
                + "Total: 2.00 EUR\n");
    }

    @Test
    void aCommandForAnotherParticipantIsRefused() {
        Reply reply = participant.handle(command(Flows.command("HoldPayment"), "saga-7", 1)).reply();

        assertThat(reply.succeeded()).isFalse();
        assertThat(reply.reason()).contains("unsupported command HoldPayment");
    }

    @Test
    void aCommandWithoutItsOrderIsAnsweredInvalidKeyedByItsSagaAndRemembered() {
        Command noOrder = new Command("ReserveInventory", "saga-12", "saga-12:reserve-inventory:do", null, null, null,
                Instant.now());

        Reply reply = participant.handle(noOrder).reply();

        assertThat(reply.succeeded()).isFalse();
        assertThat(reply.retryable()).isFalse();
        assertThat(reply.reasonCode()).isEqualTo("invalid-command");
        assertThat(reply.orderId()).isEqualTo("saga-12");
        assertThat(participant.handle(noOrder).reply()).isEqualTo(reply);
        assertThat(inventory.view().get(0).available()).isEqualTo(5);
    }

    @Test
    void aHoldInAnotherCurrencyThanTheCardsIsRefused() {
        PaymentService payments = new PaymentService(java.util.Map.of("tok_visa", new BigDecimal("100.00")),
                java.util.Set.of(), "EUR");
        IdempotentParticipant payment = new IdempotentParticipant(payments, Flows.catalog()::command,
                ParticipantLedger.NONE, clock);
        Order eur = order("saga-13", 1, "a@example.com");
        Order usd = new Order(eur.orderId(), eur.customerId(), eur.customerEmail(), "USD", eur.items(),
                eur.cardToken(), eur.total(), eur.createdAt());

        Reply reply = payment.handle(Command.of(Flows.command("HoldPayment"), "saga-13", usd, null, Instant.now()))
                .reply();

        assertThat(reply.reasonCode()).isEqualTo("currency-not-accepted");
        assertThat(payments.view()).isEmpty();
    }

    @Test
    void aRestartedParticipantRebuildsItsStateAndMemoryFromItsLedger() {
        InMemoryLedger ledger = new InMemoryLedger();
        IdempotentParticipant before = new IdempotentParticipant(inventory, Flows.catalog()::command, ledger, clock);
        Reply reserved = before.handle(command(Flows.command("ReserveInventory"), "saga-8", 2)).reply();
        before.handle(command(Flows.command("ReleaseInventory"), "saga-9", 1)).reply();
        before.handle(command(Flows.command("ReserveInventory"), "saga-10", 1)).reply();

        InventoryService restarted = new InventoryService(
                List.of(new InventoryService.StockItem("SKU-1", 5, new BigDecimal("2.00"))));
        IdempotentParticipant after = new IdempotentParticipant(restarted, Flows.catalog()::command, ledger, clock);
        assertThat(after.replayLedger()).isEqualTo(3);

        assertThat(restarted.view()).isEqualTo(inventory.view());
        assertThat(after.handle(command(Flows.command("ReserveInventory"), "saga-8", 2)).reply().outcome())
                .isEqualTo(reserved.outcome());
        assertThat(after.handle(command(Flows.command("ReserveInventory"), "saga-9", 1)).reply().reason())
                .isEqualTo("reserve-inventory was already compensated");
        assertThat(restarted.view().get(0).available()).isEqualTo(2);
        assertThat(ledger.commands).hasSize(4);
    }

    @Test
    void anEmailDeliveredBeforeARestartIsInTheOutboxAfterItEvenThroughAFlakyRelay() {
        InMemoryLedger ledger = new InMemoryLedger();
        NotificationService notifications = new NotificationService("flaky.example", 1, clock);
        IdempotentParticipant mailer = new IdempotentParticipant(notifications, Flows.catalog()::command, ledger, clock);
        Command confirm = new Command("SendOrderConfirmation", "saga-11", "saga-11:send-order-confirmation:do",
                order("saga-11", 1, "x@flaky.example"), null, null, Instant.now());
        mailer.handle(confirm).reply();
        mailer.handle(confirm).reply();

        NotificationService restarted = new NotificationService("flaky.example", 1, clock);
        new IdempotentParticipant(restarted, Flows.catalog()::command, ledger, clock).replayLedger();

        assertThat(ledger.commands).hasSize(1);
        assertThat(restarted.view()).extracting(NotificationService.Email::orderId).containsExactly("saga-11");
    }

    /** Keeps what a participant records, as its Kafka topic would. */
    private static final class InMemoryLedger implements ParticipantLedger {
        final List<Command> commands = new java.util.ArrayList<>();

        @Override
        public java.util.concurrent.CompletableFuture<Void> record(Command command) {
            commands.add(command);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override
        public void replay(java.util.function.Consumer<Command> onCommand) {
            List.copyOf(commands).forEach(onCommand);
        }
    }

    private static Command command(CommandType type, String sagaId, int quantity) {
        return Command.of(type, sagaId, order(sagaId, quantity, "a@example.com"), null, Instant.now());
    }

    private static Order order(String orderId, int quantity, String email) {
        return new Order(orderId, "c-1", email, "EUR", List.of(new OrderLine("SKU-1", quantity, new BigDecimal("2.00"))),
                "tok_visa", new BigDecimal("2.00").multiply(BigDecimal.valueOf(quantity)), Instant.now());
    }
}
