package dev.ordersaga.app;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * Typed reads of the application's Camel properties ({@code config/application.properties}, the profile's file, and
 * environment variables: {@code saga.step-timeout} is overridden by {@code SAGA_STEP_TIMEOUT}). A missing or malformed
 * required setting stops the start with a message that names it.
 */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    public Optional<String> optional(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String string(String key) {
        return optional(key).orElseThrow(() -> new IllegalStateException(
                "Missing setting '" + key + "' (set it in config/ or as " + envName(key) + ")"));
    }

    public int integer(String key) {
        String value = string(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw invalid(key, value, "a whole number");
        }
    }

    public int positiveInteger(String key) {
        int value = integer(key);
        if (value < 1) {
            throw invalid(key, Integer.toString(value), "a number of at least 1");
        }
        return value;
    }

    public boolean bool(String key) {
        String value = string(key);
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw invalid(key, value, "true or false");
        }
        return Boolean.parseBoolean(value);
    }

    /** A duration such as {@code 5s}, {@code 200ms}, {@code 1m30s}. */
    public Duration duration(String key) {
        String value = string(key);
        try {
            long millis = TimeUtils.toMilliSeconds(value);
            if (millis <= 0) {
                throw invalid(key, value, "a positive duration");
            }
            return Duration.ofMillis(millis);
        } catch (IllegalArgumentException e) {
            throw invalid(key, value, "a duration such as 5s or 200ms");
        }
    }

    /** A comma-separated list of durations in seconds, such as {@code 0.01,0.1,1}, ascending. */
    public List<Duration> durations(String key) {
        String value = string(key);
        try {
            List<Duration> durations = Arrays.stream(value.split(",")).map(String::trim)
                    .map(seconds -> Duration.ofNanos(new BigDecimal(seconds).movePointRight(9).longValueExact()))
                    .toList();
            for (int i = 0; i < durations.size(); i++) {
                if (durations.get(i).isNegative() || durations.get(i).isZero()
                        || i > 0 && durations.get(i).compareTo(durations.get(i - 1)) <= 0) {
                    throw invalid(key, value, "ascending positive numbers of seconds, such as 0.01,0.1,1");
                }
            }
            return durations;
        } catch (ArithmeticException | NumberFormatException e) {
            throw invalid(key, value, "ascending positive numbers of seconds, such as 0.01,0.1,1");
        }
    }

    /** A comma-separated list, such as {@code a.b,c.d}; empty entries left out. */
    public List<String> list(String key) {
        return Arrays.stream(string(key).split(",")).map(String::trim).filter(entry -> !entry.isEmpty()).toList();
    }

    public void override(String key, String value) {
        properties.addOverrideProperty(key, value);
    }

    static String envName(String key) {
        return key.toUpperCase().replace('.', '_').replace('-', '_');
    }

    private static IllegalStateException invalid(String key, String value, String expected) {
        return new IllegalStateException("Setting '" + key + "' (" + envName(key) + ") must be " + expected
                + ", was '" + value + "'");
    }
}
