package dev.ordersaga.conformance;

import java.util.List;

/**
 * A named sequence of commands to one participant, each with the answer it must get. A restart scenario is run in
 * two halves: {@code steps} before the participant's restart, {@code afterRestart} after it.
 */
record Scenario(String name, List<Step> steps, List<Step> afterRestart) {

    static Scenario of(String name, Step... steps) {
        return new Scenario(name, List.of(steps), List.of());
    }

    static Scenario acrossRestart(String name, List<Step> before, List<Step> after) {
        return new Scenario(name, List.copyOf(before), List.copyOf(after));
    }
}
