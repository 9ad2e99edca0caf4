package dev.ordersaga.json;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

/**
 * The contract's instants ({@code 2026-11-26T12:43:00.123456Z}: UTC, seconds always, the fraction in groups of 3
 * digits as {@link Instant#toString()} writes it) written and read without {@link java.time.format.DateTimeFormatter},
 * which took a fifth of all JSON reading and a tenth of all JSON writing in the benchmark's profile: every command,
 * reply, journal and order record carries instants. What the fast path does not cover (years outside 1000–9999 when
 * writing; an offset, a number or a malformed text when reading) goes to {@link Instant#toString()} and to Jackson's
 * own {@link InstantDeserializer}, which accept or refuse it as before.
 */
final class IsoInstants {

    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000, 1_000_000_000};
    private static final int SECONDS_PER_DAY = 86_400;

    private IsoInstants() {
    }

    /** What {@link Instant#toString()} gives. */
    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        int year = date.getYear();
        if (year < 1000 || year > 9999) {
            return instant.toString();
        }
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        int nanos = instant.getNano();
        int fractionDigits = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
        char[] text = new char[fractionDigits == 0 ? 20 : 21 + fractionDigits];
        put(text, 0, 4, year);
        text[4] = '-';
        put(text, 5, 2, date.getMonthValue());
        text[7] = '-';
        put(text, 8, 2, date.getDayOfMonth());
        text[10] = 'T';
        put(text, 11, 2, secondOfDay / 3_600);
        text[13] = ':';
        put(text, 14, 2, secondOfDay / 60 % 60);
        text[16] = ':';
        put(text, 17, 2, secondOfDay % 60);
        if (fractionDigits > 0) {
            text[19] = '.';
            put(text, 20, fractionDigits, nanos / POWERS_OF_TEN[9 - fractionDigits]);
        }
        text[text.length - 1] = 'Z';
        return new String(text);
    }

    /** The instant {@code text} stands for if it has the form {@code yyyy-MM-ddTHH:mm:ss[.f…]Z}, else null. */
    static Instant parse(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            int fractionDigits = length - 21;
            if (text.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
                return null;
            }
            int fraction = digits(text, 20, length - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction * POWERS_OF_TEN[9 - fractionDigits];
        } else if (text.charAt(19) != 'Z') {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** Writes {@code value} as {@code width} decimal digits, zero-padded, into {@code text} from {@code at}. */
    private static void put(char[] text, int at, int width, int value) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The decimal number in {@code text[from, to)}, or -1 if a character there is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static final class Serializer extends StdSerializer<Instant> {

        Serializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeString(format(value));
        }
    }

    static final class Deserializer extends StdScalarDeserializer<Instant> {

        Deserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                Instant instant = parse(parser.getText());
                if (instant != null) {
                    return instant;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }
}
