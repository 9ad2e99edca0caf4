package dev.ordersaga.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What every Kafka client of this process is configured with: the cluster's address, and its security settings
 * ({@code kafka.security.protocol}, {@code kafka.sasl.*}, {@code kafka.ssl.*}) when there are any. The same settings
 * go to the plain clients (producers, readers, admin) and to camel-kafka's consumers, so that no client is left
 * talking PLAINTEXT to a cluster that wants SASL_SSL.
 */
final class KafkaClientSettings {

    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

    /** setting -> Kafka client property, and the camel-kafka component option that carries it */
    private static final Map<String, String[]> SECURITY = new LinkedHashMap<>();

    static {
        SECURITY.put("kafka.security.protocol", new String[] {"security.protocol", "security-protocol"});
        SECURITY.put("kafka.sasl.mechanism", new String[] {"sasl.mechanism", "sasl-mechanism"});
        SECURITY.put("kafka.sasl.jaas-config", new String[] {"sasl.jaas.config", "sasl-jaas-config"});
        SECURITY.put("kafka.ssl.truststore-location", new String[] {"ssl.truststore.location",
            "ssl-truststore-location"});
        SECURITY.put("kafka.ssl.truststore-password", new String[] {"ssl.truststore.password",
            "ssl-truststore-password"});
        SECURITY.put("kafka.ssl.truststore-type", new String[] {"ssl.truststore.type", "ssl-truststore-type"});
    }

    private final String bootstrapServers;
    private final Map<String, String> security = new LinkedHashMap<>();
    private final Map<String, String> camelOptions = new LinkedHashMap<>();

    KafkaClientSettings(String bootstrapServers, Settings settings) {
        this.bootstrapServers = bootstrapServers;
        SECURITY.forEach((key, names) -> settings.optional(key).ifPresent(value -> {
            security.put(names[0], value);
            camelOptions.put("camel.component.kafka." + names[1], value);
        }));
        String protocol = security.getOrDefault("security.protocol", "PLAINTEXT");
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalStateException("Setting 'kafka.security.protocol' (KAFKA_SECURITY_PROTOCOL) must be one of "
                    + PROTOCOLS + ", was '" + protocol + "'");
        }
        if (protocol.startsWith("SASL_")) {
            settings.string("kafka.sasl.mechanism");
            settings.string("kafka.sasl.jaas-config");
        }
    }

    /** The properties every plain Kafka client starts from. */
    Map<String, Object> clientConfig() {
        Map<String, Object> config = new LinkedHashMap<>(security);
        config.put("bootstrap.servers", bootstrapServers);
        return config;
    }

    /** The same security settings, as camel-kafka component options (camel.component.kafka.*). */
    Map<String, String> camelComponentOptions() {
        return Map.copyOf(camelOptions);
    }
}
