package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.OrderLine;
import dev.ordersaga.json.Json;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.participants.CommandRecords;

/**
 * What a participant makes of a command record's body: a command as the orchestrator writes it, whole; one whose
 * order cannot be read, its ids only (to be answered invalid-command); one without a correlation id given as text,
 * nothing.
 */
class CommandRecordsTest {

    private static final Order ORDER = new Order("order-1", "customer-1", "ada@example.com", "EUR",
            List.of(new OrderLine("BOOK-42", 2, new BigDecimal("12.50"))), "tok_visa", new BigDecimal("25.00"),
            Instant.parse("2026-12-06T10:00:00Z"));

    @Test
    void aCommandAsWrittenIsReadWhole() {
        Command sent = new Command("ReserveInventory", "saga-1", "saga-1:reserve-inventory", ORDER, null, null,
                Instant.parse("2026-12-06T10:00:01Z"));

        assertThat(read(new String(Json.write(sent), StandardCharsets.UTF_8))).contains(sent);
    }

    @Test
    void aCommandWhoseOrderCannotBeReadKeepsItsIds() {
        Optional<Command> read = read("""
                {"type":"ReserveInventory","sagaId":"saga-1","correlationId":"saga-1:reserve-inventory",
                 "order":{"orderId":"order-1","items":"not a list"}}""");

        assertThat(read).contains(new Command("ReserveInventory", "saga-1", "saga-1:reserve-inventory", null, null,
                null, null));
    }

    @Test
    void aMissingSagaIdIsTakenFromTheCorrelationId() {
        assertThat(read("{\"type\":\"ReserveInventory\",\"correlationId\":\"saga-1:reserve-inventory\"}"))
                .map(Command::sagaId).contains("saga-1");
    }

    @Test
    void aCorrelationIdThatIsNotTextIsNotACommand() {
        assertThat(read("{\"type\":\"ReserveInventory\",\"sagaId\":\"saga-1\",\"correlationId\":42}")).isEmpty();
        assertThat(read("{\"type\":\"ReserveInventory\",\"sagaId\":\"saga-1\",\"correlationId\":true}")).isEmpty();
        assertThat(read("{\"type\":\"ReserveInventory\",\"sagaId\":\"saga-1\",\"correlationId\":\" \"}")).isEmpty();
    }

    @Test
    void whatIsNotAJsonObjectIsNotACommand() {
        assertThat(read("not json")).isEmpty();
        assertThat(read("[1,2]")).isEmpty();
        assertThat(read("null")).isEmpty();
        assertThat(CommandRecords.read(null)).isEmpty();
    }

    private static Optional<Command> read(String body) {
        return CommandRecords.read(body.getBytes(StandardCharsets.UTF_8));
    }
}
