package dev.ordersaga.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The image the build writes (target/image-check/image.tar, see {@link ContainerImage}), checked as a container runtime
 * and a platform team would see it: what it runs and with which JVM options, as whom, on which ports, in which layers,
 * on which base, and that it carries the application's runtime class path and nothing more.
 */
class ContainerImageTest {

    static final String MAIN_CLASS = "dev.ordersaga.app.OrderSagaApplication";
    /**
     * The JVM options of production (heap from the memory limit, 20 ms pause goal, promotion after two collections,
     * exit on OutOfMemoryError).
     */
    static final List<String> JVM_OPTIONS = List.of("-XX:MaxRAMPercentage=75", "-XX:MaxGCPauseMillis=20",
            "-XX:MaxTenuringThreshold=2", "-XX:+ExitOnOutOfMemoryError");
    /**
     * The in-process broker's jars (kafka_2.13, kafka-server, kafka-server-common, kafka-metadata, kafka-raft, ...)
     * and the Scala runtime it brings: every Kafka jar but the client, every Scala jar.
     */
    static final Pattern BROKER_JAR = Pattern.compile("(kafka(?!-clients-)[_-].*|scala-.*|.*_2\\.13-.*)\\.jar");
    /** What only the tests and the Hawtio console use: none of it belongs in the image. */
    static final Pattern TEST_JAR = Pattern.compile(
            "(junit-|assertj-|awaitility-|camel-test-|tomcat-|hawtio-|kubernetes-model-|opentest4j-).*\\.jar");

    private final ContainerImage image = ContainerImage.read();

    @Test
    void itRunsTheApplicationWithTheKubernetesProfileAndTheProductionJvmOptions() throws ClassNotFoundException {
        assertThat(image.env()).containsEntry("APP_PROFILE", KubernetesManifestsTest.PROFILE);
        assertThat(image.env().get("JAVA_TOOL_OPTIONS")).as("JAVA_TOOL_OPTIONS").isNotNull();
        assertThat(List.of(image.env().get("JAVA_TOOL_OPTIONS").split("\\s+")))
                .as("the JVM options, read by every java the container starts").containsExactlyElementsOf(JVM_OPTIONS);
        assertThat(image.entrypoint()).as("exec form, java as PID 1: it gets the SIGTERM")
                .startsWith("java", "-cp").endsWith(MAIN_CLASS);
        assertThat(Class.forName(image.mainClass()).getName()).isEqualTo(MAIN_CLASS);
    }

    @Test
    void theConfigFolderComesFirstOnTheClassPathThenTheApplicationAndItsLibraries() {
        List<String> classPath = image.classPath();
        assertThat(classPath.get(0)).as("where the ConfigMap is mounted: it shadows the packaged config")
                .isEqualTo("/app/config");
        assertThat(classPath).contains("/app/resources", "/app/classes");
        List<String> jars = classPath.stream().filter(entry -> entry.endsWith(".jar")).toList();
        assertThat(jars).isNotEmpty().allSatisfy(jar -> assertThat(image.file(jar))
                .as("%s, on the class path, is in the image", jar).isPresent());
        assertThat(image.file("app/classes/" + MAIN_CLASS.replace('.', '/') + ".class")).isPresent();
        for (String config : configFilesOfTheJar()) {
            assertThat(image.file("app/resources/" + config)).as("config/%s, the packaged default", config)
                    .isPresent();
        }
    }

    @Test
    void itRunsAsANonRootUserWhoOwnsNothingInTheImage() {
        assertThat(image.user()).as("by number, so that Kubernetes can check runAsNonRoot").matches("[1-9]\\d*:\\d+");
        for (ContainerImage.Layer layer : image.layers()) {
            for (TarArchive.Entry file : layer.files().entries()) {
                assertThat(file.uid()).as("owner of %s", file.path()).isZero();
                assertThat(file.gid()).as("group of %s", file.path()).isZero();
                assertThat(file.mode() & 0022).as("%s is writable only by its owner", file.path()).isZero();
            }
        }
    }

    @Test
    void itExposesTheOrderApiAndTheManagementPort() {
        Map<String, String> config = AppConfig.profile(KubernetesManifestsTest.PROFILE);
        assertThat(image.exposedPorts()).containsExactlyInAnyOrder(Integer.parseInt(config.get("api.port")),
                Integer.parseInt(config.get("management.port")));
    }

    @Test
    void itsLayersGoFromWhatChangesLeastToWhatChangesMost() {
        assertThat(image.layers()).extracting(ContainerImage.Layer::comment)
                .as("Jib's layers: a code change rebuilds and pushes only the last ones")
                .containsExactly("dependencies", "resources", "classes", "jvm arg files");
        assertThat(image.layers().get(0).files().entries()).filteredOn(TarArchive.Entry::isFile)
                .allSatisfy(file -> assertThat(file.path()).matches("app/libs/[^/]+\\.jar"));
    }

    @Test
    void itIsBuiltOnTheEclipseTemurinJreImagePinnedByDigest() {
        // the check image is built on scratch; these labels say what the production image is built on
        assertThat(image.labels()).containsEntry("org.opencontainers.image.base.name",
                "docker.io/library/eclipse-temurin:17-jre");
        assertThat(image.labels().get("org.opencontainers.image.base.digest")).as("the base image's digest")
                .matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void itCarriesNoTestOrConsoleJars() {
        assertThat(libraries()).noneMatch(jar -> TEST_JAR.matcher(jar).matches());
    }

    /** The embedded broker's jars are provided-scoped: the demo and the tests have them, the image does not. */
    @Test
    void theImageCarriesNoBrokerJars() {
        assertThat(libraries()).as("the in-process broker's jars in the image").filteredOn(
                jar -> BROKER_JAR.matcher(jar).matches()).isEmpty();
        assertThat(libraries()).as("the Kafka client").anyMatch(jar -> jar.startsWith("kafka-clients-"));
    }

    private List<String> libraries() {
        return image.layers().get(0).files().entries().stream().filter(TarArchive.Entry::isFile)
                .map(file -> file.path().substring(file.path().lastIndexOf('/') + 1)).toList();
    }

    private static Set<String> configFilesOfTheJar() {
        return Set.copyOf(AppConfig.files().stream().map(file -> file.getFileName().toString())
                .filter(name -> !name.equals("kustomization.yaml")).toList());
    }
}
