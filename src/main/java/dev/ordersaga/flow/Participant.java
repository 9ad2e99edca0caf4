package dev.ordersaga.flow;

import java.util.regex.Pattern;

/**
 * A service the saga sends commands to, named once in a flow's declaration. Everything else about it follows from its
 * name: its command topic ({@code <prefix><name>}, the prefix being the setting {@code topics.commands-prefix}, or
 * the setting {@code topics.<name>.commands}), its consumer group ({@code <prefix><name>}) and its static member id,
 * so that a participant added to a flow needs no entry anywhere else: the Kafka ACLs cover it by the prefixes.
 */
public record Participant(String name) {

    /** The setting that every participant's default command topic starts with. */
    public static final String COMMANDS_PREFIX_PROPERTY = "topics.commands-prefix";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public Participant {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A participant's name is lower-case words joined by '-', such as "
                    + "payment-service; was '" + name + "'");
        }
    }

    /** The setting that names this participant's command topic, when it is not the default. */
    public String commandTopicProperty() {
        return "topics." + name + ".commands";
    }

    /**
     * The command topic when no setting names another one: {@code <prefix><name>}, the prefix being the value of
     * {@link #COMMANDS_PREFIX_PROPERTY} (e.g. {@code order-saga.commands.payment-service}).
     */
    public String defaultCommandTopic(String prefix) {
        return prefix + name;
    }

    /** The consumer group of this participant's command consumer: {@code <prefix><name>}. */
    public String groupId(String prefix) {
        return prefix + name;
    }

    /** Its static member id in that group, in the process whose own instance id is given. */
    public String groupInstanceId(String processInstanceId) {
        return processInstanceId + "-" + name;
    }

    @Override
    public String toString() {
        return name;
    }
}
