package dev.ordersaga.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What the repository's Containerfile declares: base image, ENV, USER, ENTRYPOINT (exec form). */
public record ContainerImage(String from, Map<String, String> env, String user, List<String> entrypoint) {

    public static ContainerImage read() {
        List<String> instructions = new ArrayList<>();
        try {
            StringBuilder current = new StringBuilder();
            for (String line : Files.readAllLines(Kustomize.ROOT.resolve("Containerfile"))) {
                String trimmed = line.strip();
                if (current.length() == 0 && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                    continue;
                }
                if (trimmed.endsWith("\\")) {
                    current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                } else {
                    instructions.add(current.append(trimmed).toString());
                    current.setLength(0);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String from = null;
        String user = null;
        List<String> entrypoint = List.of();
        Map<String, String> env = new LinkedHashMap<>();
        Pattern assignment = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");
        for (String instruction : instructions) {
            String[] parts = instruction.split("\\s+", 2);
            String arguments = parts.length > 1 ? parts[1] : "";
            switch (parts[0].toUpperCase()) {
                case "FROM" -> from = arguments;
                case "USER" -> user = arguments;
                case "ENV" -> {
                    Matcher m = assignment.matcher(arguments);
                    while (m.find()) {
                        env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
                    }
                }
                case "ENTRYPOINT" -> {
                    try {
                        entrypoint = new ObjectMapper().readValue(arguments, new TypeReference<List<String>>() { });
                    } catch (IOException e) {
                        throw new AssertionError("Containerfile: ENTRYPOINT must be in exec form (a JSON array)", e);
                    }
                }
                default -> { }
            }
        }
        return new ContainerImage(from, env, user, entrypoint);
    }

    /** The -cp argument of the entrypoint, split at ':'. */
    public List<String> classPath() {
        int i = entrypoint.indexOf("-cp");
        if (i < 0 || i + 1 >= entrypoint.size()) {
            throw new AssertionError("Containerfile: ENTRYPOINT has no -cp: " + entrypoint);
        }
        return List.of(entrypoint.get(i + 1).split(":"));
    }

    /** The main class: the first argument after the class path. */
    public String mainClass() {
        return entrypoint.get(entrypoint.indexOf("-cp") + 2);
    }
}
