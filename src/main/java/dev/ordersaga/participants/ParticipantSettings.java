package dev.ordersaga.participants;

import java.time.Clock;
import java.util.Optional;

/** The settings a participant's rules read (their demo data), and the clock they tell time by. */
public interface ParticipantSettings {

    Optional<String> optional(String key);

    /** A required setting; a missing one stops the start with its name. */
    String string(String key);

    int integer(String key);

    Clock clock();
}
