package dev.ordersaga.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The defaults the jar carries: config/application.properties as packaged on the class path. */
public final class PackagedConfig {

    private PackagedConfig() {
    }

    /** A packaged default, trimmed; a key without a value there is a mistake of the caller's. */
    public static String value(String key) {
        Properties defaults = new Properties();
        try (InputStream in = PackagedConfig.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in == null) {
                throw new IllegalStateException("application.properties is not on the class path");
            }
            defaults.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String value = defaults.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("No " + key + " in application.properties");
        }
        return value.trim();
    }
}
