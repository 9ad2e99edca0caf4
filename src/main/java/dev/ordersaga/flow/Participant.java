package dev.ordersaga.flow;

import java.util.regex.Pattern;

/**
 * A service the saga sends commands to, named once in a flow's declaration. Everything else about it follows from its
 * name: its command topic ({@code <name>.commands}, or the setting {@code topics.<name>.commands}), its consumer group
 * and its static member id, so that a participant added to a flow needs no entry anywhere else.
 */
public record Participant(String name) {

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

    /** The command topic when no setting names another one. */
    public String defaultCommandTopic() {
        return name + ".commands";
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
