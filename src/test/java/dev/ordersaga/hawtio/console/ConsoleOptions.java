package dev.ordersaga.hawtio.console;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the console is started with: its options, each also an environment variable (an option wins). The password
 * is best given as JOLOKIA_PASSWORD: a command line is visible to every user of the machine ({@code ps}).
 */
public record ConsoleOptions(URI jolokiaUrl, Optional<Credentials> credentials, int port, String bindAddress) {

    public static final String USAGE = """
            Hawtio for the order saga orchestrator: the web console, on this machine, connected to one Jolokia.

              java -jar order-saga-orchestrator-hawtio-console.jar [options]

              --jolokia-url URL   the application's Jolokia (env JOLOKIA_URL)
                                  default http://localhost:9876/observe/jolokia (a pod's management port,
                                  kubectl port-forward POD 9876, or the demo on this machine)
              --user NAME         the management credentials, when Jolokia asks for them (env JOLOKIA_USER)
              --password SECRET   (env JOLOKIA_PASSWORD; prefer the variable: a command line is visible to others)
              --port PORT         Hawtio's port, default 8090 (env HAWTIO_PORT)
              --bind ADDRESS      the address Hawtio listens on, default 127.0.0.1: only this machine, which the
                                  credentials are given to (env HAWTIO_BIND)
              --help              this text
            """;

    /** The management port's credentials, sent by Hawtio's proxy with every request to {@link #jolokiaUrl()}. */
    public record Credentials(String user, String password) {

        @Override
        public String toString() {
            return "Credentials[user=" + user + "]";
        }
    }

    /** Thrown for options that do not make sense; its message says why. */
    public static final class Invalid extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    /** Reads the options from {@code args}, then from {@code env}; {@code --help} gives an empty answer. */
    public static Optional<ConsoleOptions> parse(String[] args, Map<String, String> env) {
        Map<String, String> given = new java.util.HashMap<>();
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            if (option.equals("--help") || option.equals("-h")) {
                return Optional.empty();
            }
            String value;
            int equals = option.indexOf('=');
            if (option.startsWith("--") && equals > 0) {
                value = option.substring(equals + 1);
                option = option.substring(0, equals);
            } else if (rest.isEmpty()) {
                throw new Invalid("Missing value for " + option);
            } else {
                value = rest.remove(0);
            }
            if (!List.of("--jolokia-url", "--user", "--password", "--port", "--bind").contains(option)) {
                throw new Invalid("Unknown option " + option);
            }
            given.put(option, value);
        }
        String url = setting(given, "--jolokia-url", env, "JOLOKIA_URL", "http://localhost:9876/observe/jolokia");
        String user = setting(given, "--user", env, "JOLOKIA_USER", null);
        String password = setting(given, "--password", env, "JOLOKIA_PASSWORD", null);
        if ((user == null) != (password == null)) {
            throw new Invalid("Give both a user and a password (--user/JOLOKIA_USER, --password/JOLOKIA_PASSWORD), "
                    + "or neither");
        }
        String port = setting(given, "--port", env, "HAWTIO_PORT", "8090");
        String bind = setting(given, "--bind", env, "HAWTIO_BIND", "127.0.0.1");
        return Optional.of(new ConsoleOptions(jolokia(url), Optional.ofNullable(user).map(u -> new Credentials(u,
                password)), port(port), bind));
    }

    private static URI jolokia(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new Invalid("Not a URL: " + url);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getPort() < 0) {
            throw new Invalid("The Jolokia URL must be http(s)://host:port/path, e.g. "
                    + "http://localhost:9876/observe/jolokia, not " + url);
        }
        return uri;
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new Invalid("Not a port: " + value);
    }

    private static String setting(Map<String, String> given, String option, Map<String, String> env, String variable,
                                  String fallback) {
        String value = given.get(option);
        if (value == null || value.isBlank()) {
            value = env.get(variable);
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
