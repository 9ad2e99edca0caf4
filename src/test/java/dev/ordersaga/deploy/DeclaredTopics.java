package dev.ordersaga.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.ordersaga.flow.Participant;
import dev.ordersaga.testsupport.Flows;

/**
 * The topics the declared flows need, as the application names them (a participant's command topic is
 * {@code <participant>.commands} unless {@code topics.<participant>.commands} says otherwise): what the files that
 * cannot be derived at run time, such as the Strimzi KafkaTopics, are held against.
 */
final class DeclaredTopics {

    private DeclaredTopics() {
    }

    /** The command topic of every participant of every declared flow. */
    static Set<String> commandTopics(Map<String, String> config) {
        Set<String> topics = new TreeSet<>();
        for (Participant participant : Flows.catalog().participants()) {
            String named = config.get(participant.commandTopicProperty());
            topics.add(named == null || named.isBlank() ? participant.defaultCommandTopic() : named);
        }
        return topics;
    }

    /** Fails naming the topics the flows need that the file lacks, and those it has that nothing needs any more. */
    static void assertSame(String file, Set<String> inFile, Set<String> needed) {
        Set<String> missing = new TreeSet<>(needed);
        missing.removeAll(inFile);
        Set<String> stale = new TreeSet<>(inFile);
        stale.removeAll(needed);
        assertThat(missing).as("topics the declared flows need that %s lacks", file).isEmpty();
        assertThat(stale).as("topics in %s that no declared flow needs", file).isEmpty();
    }
}
