package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.ordersaga.json.Json;

/**
 * Instants in the contract's JSON are written as {@link Instant#toString()} writes them and read back as written,
 * whatever their precision; forms the fast path leaves alone are read as Jackson reads them.
 */
class JsonInstantTest {

    record Stamped(Instant at) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T12:43:00Z", "2026-11-26T12:43:00.100Z", "2026-11-26T12:43:00.123456Z",
        "2026-11-26T12:43:00.123456789Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59.9Z", "1969-12-31T23:59:59.5Z"})
    void readsWhatInstantParseReads(String text) {
        assertThat(Json.read("{\"at\":\"" + text + "\"}", Stamped.class).at()).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 999_999_999, 1_764_160_980_123_456_789L})
    void roundTripsEveryPrecision(long nanosSinceEpoch) {
        Instant at = Instant.EPOCH.plus(nanosSinceEpoch, ChronoUnit.NANOS);
        assertThat(Json.read(Json.write(new Stamped(at)), Stamped.class).at()).isEqualTo(at);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T12:43:00Z", "2026-11-26T12:43:00.100Z", "2026-11-26T12:43:00.000001Z",
        "2026-11-26T12:43:00.123456789Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.5Z", "0999-12-31T23:59:59Z",
        "+10000-01-01T00:00:00Z", "1000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z"})
    void writesWhatInstantToStringWrites(String text) {
        Instant at = Instant.parse(text);
        assertThat(Json.writeString(new Stamped(at))).isEqualTo("{\"at\":\"" + at + "\"}");
        assertThat(Json.read(Json.writeString(new Stamped(at)), Stamped.class).at()).isEqualTo(at);
    }

    @Test
    void writesEveryInstantOfARandomSampleAsInstantToStringDoes() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            long seconds = random.nextLong(-50_000_000_000L, 250_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant at = Instant.ofEpochSecond(seconds, nanos);
            assertThat(Json.writeString(new Stamped(at))).isEqualTo("{\"at\":\"" + at + "\"}");
            assertThat(Json.read(Json.write(new Stamped(at)), Stamped.class).at()).isEqualTo(at);
        }
    }

    /** What the fast path does not take is read as Jackson's own reader reads it (24:00, a bare "." included). */
    @ParameterizedTest
    @ValueSource(strings = {"\"2026-11-26T12:43:00+01:00\"", "\"2026-11-26T24:00:00Z\"", "\"2026-11-26T12:43:00.Z\"",
        "1764160980", "1764160980.5"})
    void readsOtherFormsAsJacksonDoes(String json) throws Exception {
        ObjectMapper jackson = new ObjectMapper().registerModule(new JavaTimeModule());
        assertThat(Json.read("{\"at\":" + json + "}", Stamped.class).at())
                .isEqualTo(jackson.readValue("{\"at\":" + json + "}", Stamped.class).at());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T12:43:00Z", "2026-11-26T12:60:00Z", "2026-11-26T12:43:00.1234567890Z",
        "2026-1x-26T12:43:00Z", "yesterday"})
    void refusesWhatIsNoInstant(String text) {
        assertThatThrownBy(() -> Json.read("{\"at\":\"" + text + "\"}", Stamped.class))
                .isInstanceOf(RuntimeException.class);
    }
}
