package dev.ordersaga.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The application's configuration as the pod sees it, read from config/ at test time: the keys of every
 * {@code config/*.properties} (which settings exist, hence which environment variables the app binds), and the
 * values of a profile (application.properties with application-PROFILE.properties on top).
 */
public final class AppConfig {

    public static final Path CONFIG = Kustomize.ROOT.resolve("config");

    private AppConfig() {
    }

    /** The files of config/, by name. */
    public static List<Path> files() {
        try (Stream<Path> files = Files.list(CONFIG)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every property key declared in any config/*.properties. */
    public static Set<String> allKeys() {
        Set<String> keys = new TreeSet<>();
        for (Path file : files()) {
            if (file.getFileName().toString().endsWith(".properties")) {
                keys.addAll(load(file).stringPropertyNames());
            }
        }
        return keys;
    }

    /** Camel's rule: a property {@code a.b-c} is overridden by the environment variable {@code A_B_C}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The values of a profile: application.properties, then application-PROFILE.properties over it. */
    public static Map<String, String> profile(String profile) {
        Map<String, String> values = new HashMap<>();
        merge(values, CONFIG.resolve("application.properties"));
        Path profileFile = CONFIG.resolve("application-" + profile + ".properties");
        if (!Files.isRegularFile(profileFile)) {
            throw new AssertionError("No " + Kustomize.ROOT.relativize(profileFile) + " for the profile " + profile);
        }
        merge(values, profileFile);
        return values;
    }

    /** A value of a profile, overridden by the environment variable the pod sets (if any). */
    public static Optional<String> value(Map<String, String> profile, Map<String, String> podEnv, String key) {
        String fromEnv = podEnv.get(envName(key));
        if (fromEnv != null) {
            return Optional.of(fromEnv);
        }
        return Optional.ofNullable(profile.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static void merge(Map<String, String> values, Path file) {
        Properties properties = load(file);
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key).trim()));
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
