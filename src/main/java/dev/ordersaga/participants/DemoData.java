package dev.ordersaga.participants;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reads the reference participants' demo data from settings: comma-separated entries of colon-separated parts. */
final class DemoData {

    private DemoData() {
    }

    /** The entries of {@code a,b,c}, trimmed, empty ones left out; none for a missing setting. */
    static Set<String> entries(String spec) {
        Set<String> entries = new LinkedHashSet<>();
        if (spec != null) {
            Arrays.stream(spec.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(entries::add);
        }
        return entries;
    }

    /** The {@code parts} parts of one entry, or a message naming the setting and the form it wants. */
    static String[] parts(String entry, int parts, String setting, String form) {
        String[] split = entry.split(":");
        if (split.length != parts) {
            throw new IllegalArgumentException("Setting '" + setting + "': each entry must be " + form + ", was '"
                    + entry + "'");
        }
        return split;
    }
}
