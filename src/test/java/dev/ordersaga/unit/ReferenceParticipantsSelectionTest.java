package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.ordersaga.flow.Participant;
import dev.ordersaga.participants.ParticipantLedger;
import dev.ordersaga.participants.ParticipantRules;
import dev.ordersaga.participants.ParticipantSettings;
import dev.ordersaga.participants.ReferenceParticipants;
import dev.ordersaga.testsupport.Flows;

/** participants.reference: a process runs the reference participants it is told to, and only those the flows name. */
class ReferenceParticipantsSelectionTest {

    private static final Map<String, String> DEMO_DATA = Map.of(
            "participants.inventory.stock", "SKU-1:1:1.00",
            "participants.payment.credit-limits", "tok_visa:1.00",
            "participants.payment.currency", "EUR",
            "participants.notification.flaky-failures", "0");

    @Test
    void onlyTheListedParticipantsRun() {
        ReferenceParticipants running = participants(List.of(new Participant("order-service"),
                new Participant("notification-service")));

        assertThat(running.commandProcessors().keySet()).extracting(Participant::name)
                .containsExactly("order-service", "notification-service");
    }

    @Test
    void aParticipantNoFlowNamesStopsTheStartWithItsName() {
        assertThatThrownBy(() -> participants(List.of(new Participant("shipping-service"))))
                .hasMessageContaining("No flow commands shipping-service");
    }

    private static ReferenceParticipants participants(List<Participant> running) {
        Map<Participant, ParticipantRules> rules = ReferenceParticipants.findRules(
                List.of("dev.ordersaga.participants"), settings());
        return new ReferenceParticipants(Flows.catalog(), running, rules, participant -> ParticipantLedger.NONE,
                new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()), Runnable::run,
                participant -> Duration.ZERO, io.opentelemetry.api.OpenTelemetry.noop().getTracer("test"),
                Clock.systemUTC());
    }

    private static ParticipantSettings settings() {
        return new ParticipantSettings() {
            @Override
            public Optional<String> optional(String key) {
                return Optional.ofNullable(DEMO_DATA.get(key));
            }

            @Override
            public String string(String key) {
                return optional(key).orElseThrow(() -> new IllegalArgumentException(key));
            }

            @Override
            public int integer(String key) {
                return Integer.parseInt(string(key));
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        };
    }
}
