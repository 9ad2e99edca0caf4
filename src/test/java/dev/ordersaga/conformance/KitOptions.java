package dev.ordersaga.conformance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kit's command line: which participant to check, where its Kafka is and how to log in, and which phase to run.
 * {@code --help} prints {@link #USAGE}.
 */
record KitOptions(String bootstrap, String participant, Phase phase, Optional<String> commandTopic, String replyTopic,
                  int replyPartitions, Duration replyTimeout, Path stateFile, Map<String, String> security) {

    /** What a run checks: everything but the restart, or one half of the restart check. */
    enum Phase {
        ALL("all"), BEFORE_RESTART("before-restart"), AFTER_RESTART("after-restart");

        final String option;

        Phase(String option) {
            this.option = option;
        }

        static Phase of(String option) {
            for (Phase phase : values()) {
                if (phase.option.equals(option)) {
                    return phase;
                }
            }
            throw new IllegalArgumentException("--phase must be all, before-restart or after-restart, was " + option);
        }
    }

    static final String DEFAULT_REPLY_TOPIC = "conformance-kit.replies";
    /** More than one, so that a reply on a wrong partition shows; a prime, so that few keys collide by chance. */
    static final int DEFAULT_REPLY_PARTITIONS = 5;
    static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(10);
    static final Path DEFAULT_STATE_FILE = Path.of("conformance-kit.state.json");

    static final String USAGE = """
            Usage: scripts/conformance.sh --bootstrap HOST:PORT --participant NAME [options]
              --participant NAME          a participant the flows name: order-service, inventory-service,
                                          payment-service, notification-service
              --phase all|before-restart|after-restart
                                          all (default): every check but the restart; before-restart writes
                                          --state-file, then restart the participant and run after-restart
              --state-file PATH           default conformance-kit.state.json
              --command-topic TOPIC       default order-saga.commands.<participant>
              --reply-topic TOPIC         where the kit asks for replies (reply-to); default conformance-kit.replies,
                                          created when missing with --reply-partitions partitions (default 5)
              --reply-timeout DURATION    how long to wait for each reply, ISO-8601 or 10s (default 10s)
              --security-protocol P       PLAINTEXT (default), SSL, SASL_PLAINTEXT, SASL_SSL
              --sasl-mechanism M          SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN
              --sasl-username U --sasl-password P
              --truststore PATH [--truststore-password P] [--truststore-type PKCS12|JKS|PEM]
            Exit code: 0 all checks passed, 1 a check failed, 2 a usage error.""";

    static KitOptions parse(String... args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got " + name);
            }
            given.put(name.substring(2), args[++i]);
        }
        String bootstrap = required(given, "bootstrap");
        String participant = required(given, "participant");
        Map<String, String> security = security(given);
        KitOptions options = new KitOptions(bootstrap, participant,
                Phase.of(given.getOrDefault("phase", Phase.ALL.option)),
                Optional.ofNullable(given.remove("command-topic")),
                given.getOrDefault("reply-topic", DEFAULT_REPLY_TOPIC),
                Integer.parseInt(given.getOrDefault("reply-partitions", Integer.toString(DEFAULT_REPLY_PARTITIONS))),
                duration(given.get("reply-timeout")),
                Path.of(given.getOrDefault("state-file", DEFAULT_STATE_FILE.toString())), security);
        List<String> unknown = new ArrayList<>(given.keySet());
        unknown.removeAll(List.of("phase", "reply-topic", "reply-partitions", "reply-timeout", "state-file"));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + unknown);
        }
        return options;
    }

    private static String required(Map<String, String> given, String name) {
        String value = given.remove(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static Duration duration(String text) {
        if (text == null) {
            return DEFAULT_REPLY_TIMEOUT;
        }
        return text.startsWith("P") ? Duration.parse(text) : Duration.parse("PT" + text.toUpperCase());
    }

    /** The Kafka client properties of the security options. */
    private static Map<String, String> security(Map<String, String> given) {
        Map<String, String> config = new LinkedHashMap<>();
        Optional.ofNullable(given.remove("security-protocol")).ifPresent(p -> config.put("security.protocol", p));
        String mechanism = given.remove("sasl-mechanism");
        String username = given.remove("sasl-username");
        String password = given.remove("sasl-password");
        if (mechanism != null) {
            config.put("sasl.mechanism", mechanism);
            String module = mechanism.startsWith("SCRAM") ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                    : "org.apache.kafka.common.security.plain.PlainLoginModule";
            config.put("sasl.jaas.config", module + " required username=\"" + username + "\" password=\""
                    + password + "\";");
        }
        Optional.ofNullable(given.remove("truststore")).ifPresent(p -> config.put("ssl.truststore.location", p));
        Optional.ofNullable(given.remove("truststore-password"))
                .ifPresent(p -> config.put("ssl.truststore.password", p));
        Optional.ofNullable(given.remove("truststore-type")).ifPresent(p -> config.put("ssl.truststore.type", p));
        return config;
    }
}
