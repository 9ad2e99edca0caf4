package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.ordersaga.messaging.CommandType;

/** The contract's naming: deterministic correlation ids and readable route names. */
class CommandTypeTest {

    @Test
    void correlationIdIsDeterministicPerSagaStepAndPhase() {
        assertThat(CommandType.RESERVE_INVENTORY.correlationId("o-1")).isEqualTo("o-1:reserve-inventory:do");
        assertThat(CommandType.RELEASE_INVENTORY.correlationId("o-1")).isEqualTo("o-1:reserve-inventory:undo");
        assertThat(CommandType.HOLD_PAYMENT.correlationId("o-1"))
                .isEqualTo(CommandType.HOLD_PAYMENT.correlationId("o-1"))
                .isNotEqualTo(CommandType.HOLD_PAYMENT.correlationId("o-2"));
    }

    @Test
    void routeNamesAreTheWireNamesInKebabCase() {
        assertThat(CommandType.SEND_ORDER_CONFIRMATION.routeName()).isEqualTo("send-order-confirmation");
        assertThat(CommandType.RELEASE_PAYMENT.routeName()).isEqualTo("release-payment");
    }

    @Test
    void everyCommandIsFoundByItsWireName() {
        for (CommandType type : CommandType.values()) {
            assertThat(CommandType.fromWireName(type.wireName())).contains(type);
        }
        assertThat(CommandType.fromWireName("DropTables")).isEmpty();
    }
}
