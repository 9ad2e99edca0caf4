package dev.ordersaga.bench;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.OrderLine;
import dev.ordersaga.flow.CommandType;
import dev.ordersaga.json.Json;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.participants.CommandRecords;
import dev.ordersaga.participants.IdempotentParticipant;
import dev.ordersaga.participants.ParticipantLedger;
import dev.ordersaga.participants.PaymentService;
import dev.ordersaga.testsupport.Flows;

/**
 * How many bytes a reference participant keeps for each command it answered: the payment service answers N
 * HoldPayment commands, each read from its JSON body as in production, and the live heap is compared before and
 * after (the holds themselves included). The contract has a participant remember every answer for ever, so this is
 * how its memory grows with the orders. Usage: {@code ParticipantMemory [N]} (200,000 by default).
 */
public final class ParticipantMemory {

    private static final int DEFAULT_COMMANDS = 200_000;
    private static final int SETTLING_GCS = 4;

    private ParticipantMemory() {
    }

    public static void main(String[] args) throws InterruptedException {
        int commands = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_COMMANDS;
        CommandType hold = Flows.command("HoldPayment");
        PaymentService payments = new PaymentService(Map.of("tok_visa", new BigDecimal("1000000000.00")), Set.of(),
                "EUR");
        IdempotentParticipant participant = new IdempotentParticipant(payments,
                type -> type.equals(hold.wireName()) ? Optional.of(hold) : Optional.empty(), ParticipantLedger.NONE,
                Clock.systemUTC());
        long before = liveBytes();
        for (int i = 0; i < commands; i++) {
            String sagaId = UUID.randomUUID().toString();
            Order order = new Order(sagaId, "customer-1", "ada@example.com", "EUR",
                    List.of(new OrderLine("BOOK-42", 1, new BigDecimal("12.50"))), "tok_visa",
                    new BigDecimal("12.50"), Instant.now());
            byte[] body = Json.write(Command.of(hold, sagaId, order, null, Instant.now()));
            participant.handle(CommandRecords.read(body).orElseThrow());
        }
        long after = liveBytes();
        System.out.printf("%,d commands answered: %.0f bytes kept per command (its hold included)%n", commands,
                (after - before) / (double) commands);
    }

    private static long liveBytes() throws InterruptedException {
        for (int i = 0; i < SETTLING_GCS; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
