package dev.ordersaga.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The orchestrator's image as the build wrote it (jib-maven-plugin, execution {@code image-check}, in the phase
 * process-test-classes): the image tarball {@code target/image-check/image.tar}, read as a container runtime reads
 * it, its config (environment, user, entrypoint, exposed ports, labels) and the files of its layers. It is the
 * production image's configuration on the empty base {@code scratch}: everything here is what the build adds.
 */
public final class ContainerImage {

    public static final Path TAR = Kustomize.ROOT.resolve("target/image-check/image.tar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ContainerImage read;

    /** A layer: what Jib says it holds ("dependencies", "classes", ...) and its files. */
    public record Layer(String comment, TarArchive files) {
    }

    private final JsonNode config;
    private final List<Layer> layers;

    private ContainerImage(JsonNode config, List<Layer> layers) {
        this.config = config;
        this.layers = List.copyOf(layers);
    }

    /** The image of this build (read once per test run). */
    public static synchronized ContainerImage read() {
        if (read == null) {
            read = readTar(TAR);
        }
        return read;
    }

    static ContainerImage readTar(Path tar) {
        if (!Files.isRegularFile(tar)) {
            throw new AssertionError("No image at " + Kustomize.ROOT.relativize(tar) + ": it is built by "
                    + "jib-maven-plugin (execution image-check) in the phase process-test-classes, e.g. by "
                    + "`mvn -B test -Dtest=ContainerImageTest`");
        }
        try {
            TarArchive image = TarArchive.read(Files.readAllBytes(tar));
            JsonNode manifest = JSON.readTree(file(image, "manifest.json")).get(0);
            JsonNode config = JSON.readTree(file(image, manifest.get("Config").asText()));
            // the history names each layer; entries marked empty_layer have none
            List<String> comments = new ArrayList<>();
            config.path("history").forEach(h -> {
                if (!h.path("empty_layer").asBoolean(false)) {
                    comments.add(h.path("comment").asText());
                }
            });
            List<Layer> layers = new ArrayList<>();
            JsonNode layerFiles = manifest.get("Layers");
            for (int i = 0; i < layerFiles.size(); i++) {
                layers.add(new Layer(i < comments.size() ? comments.get(i) : "",
                        TarArchive.read(image.entry(layerFiles.get(i).asText()).orElseThrow().content())));
            }
            return new ContainerImage(config, layers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] file(TarArchive archive, String path) {
        return archive.entry(path).orElseThrow(() -> new AssertionError("The image tarball has no " + path)).content();
    }

    /** The image's environment (ENV). */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        config.path("config").path("Env").forEach(e -> {
            String[] pair = e.asText().split("=", 2);
            env.put(pair[0], pair.length > 1 ? pair[1] : "");
        });
        return env;
    }

    /** USER: uid:gid. */
    public String user() {
        return config.path("config").path("User").asText();
    }

    public List<String> entrypoint() {
        List<String> entrypoint = new ArrayList<>();
        config.path("config").path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        return entrypoint;
    }

    /** The TCP ports the image exposes. */
    public Set<Integer> exposedPorts() {
        Set<Integer> ports = new TreeSet<>();
        config.path("config").path("ExposedPorts").fieldNames().forEachRemaining(port -> {
            if (!port.endsWith("/tcp")) {
                throw new AssertionError("The image exposes a port that is not TCP: " + port);
            }
            ports.add(Integer.parseInt(port.substring(0, port.length() - "/tcp".length())));
        });
        return ports;
    }

    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        config.path("config").path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** A file of the image as the container sees it: from the topmost layer that has it. */
    public Optional<TarArchive.Entry> file(String path) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            Optional<TarArchive.Entry> entry = layers.get(i).files().entry(path);
            if (entry.isPresent()) {
                return entry;
            }
        }
        return Optional.empty();
    }

    /**
     * The class path the entrypoint runs with, in order: the {@code -cp} argument, or the file it names with
     * {@code @} (Jib's /app/jib-classpath-file), split at ':'.
     */
    public List<String> classPath() {
        String argument = argumentAfter("-cp");
        if (argument.startsWith("@")) {
            String path = argument.substring(1);
            argument = file(path).orElseThrow(() -> new AssertionError("The entrypoint's class path file " + path
                    + " is not in the image")).text().strip();
        }
        return List.of(argument.split(":"));
    }

    /** The main class: the argument after the class path. */
    public String mainClass() {
        List<String> entrypoint = entrypoint();
        return entrypoint.get(entrypoint.indexOf("-cp") + 2);
    }

    private String argumentAfter(String option) {
        List<String> entrypoint = entrypoint();
        int i = entrypoint.indexOf(option);
        if (i < 0 || i + 1 >= entrypoint.size()) {
            throw new AssertionError("The image's entrypoint has no " + option + ": " + entrypoint);
        }
        return entrypoint.get(i + 1);
    }
}
