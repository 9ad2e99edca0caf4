package dev.ordersaga.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.camel.util.TimeUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMetricsEndpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;

/**
 * k8s/ as a platform team applies it, rendered with plain {@code kubectl kustomize} (offline) and read into the typed
 * Kubernetes model, checked against what the application really is: its configuration in config/ (ports, health
 * paths, shutdown timeout, the settings it binds from the environment, its topics) and the image the build writes
 * ({@link ContainerImage}). ProbePathsTest (dev.ordersaga.it) then calls the probe and Jolokia paths on a running
 * application.
 */
class KubernetesManifestsTest {

    static final String PROFILE = "kubernetes";
    /** Camel's defaults for the management port's paths (camel.management.health-path, .jolokia-path). */
    static final String DEFAULT_HEALTH_PATH = "/observe/health";
    static final String DEFAULT_JOLOKIA_PATH = "/observe/jolokia";
    static final String DEFAULT_METRICS_PATH = "/observe/metrics";
    /**
     * Environment variables a pod may set that are no Camel property: the profile (read by OrderSagaApplication.main),
     * the pod's name (static Kafka group membership, {{env:HOSTNAME:...}}; Kubernetes sets it), the JVM's options,
     * log4j's configuration files (LogLayoutsTest runs them).
     */
    static final Set<String> NOT_PROPERTIES = Set.of("APP_PROFILE", "HOSTNAME", "JAVA_TOOL_OPTIONS",
            "LOG4J_CONFIGURATION_FILE");

    // ---- the pod ------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void probesAndPortsAreThoseTheApplicationServes(String overlay) {
        Pod pod = Pod.of(overlay);
        Map<String, String> config = AppConfig.profile(PROFILE);
        int apiPort = Integer.parseInt(pod.setting(config, "api.port"));
        int managementPort = Integer.parseInt(pod.setting(config, "management.port"));
        String healthPath = AppConfig.value(config, pod.env(), "camel.management.health-path").orElse(DEFAULT_HEALTH_PATH);
        String jolokiaPath = AppConfig.value(config, pod.env(), "camel.management.jolokia-path").orElse(DEFAULT_JOLOKIA_PATH);

        List<ContainerPort> ports = pod.container().getPorts();
        assertThat(ports).extracting(ContainerPort::getName).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(ports).extracting(ContainerPort::getContainerPort).doesNotHaveDuplicates();
        assertThat(pod.port("http")).as("container port 'http' = api.port").isEqualTo(apiPort);
        assertThat(pod.port("jolokia")).as("container port 'jolokia' = management.port, where Jolokia is served")
                .isEqualTo(managementPort);

        Map<String, Probe> probes = Map.of("startup", pod.container().getStartupProbe(),
                "liveness", pod.container().getLivenessProbe(), "readiness", pod.container().getReadinessProbe());
        Map<String, String> expectedPaths = Map.of("startup", healthPath + "/live", "liveness", healthPath + "/live",
                "readiness", healthPath + "/ready");
        probes.forEach((kind, probe) -> {
            assertThat(probe).as(kind + " probe").isNotNull();
            HTTPGetAction get = probe.getHttpGet();
            assertThat(get).as(kind + " probe is an HTTP GET").isNotNull();
            assertThat(pod.resolve(get.getPort())).as(kind + " probe's port: management.port").isEqualTo(managementPort);
            assertThat(get.getPath()).as(kind + " probe's path").isEqualTo(expectedPaths.get(kind));
            assertThat(get.getHttpHeaders()).as(kind + " probe sends no credentials").isNullOrEmpty();
            assertThat(get.getScheme()).as(kind + " probe: plain HTTP").isIn(null, "HTTP");
        });

        // readiness asks Kafka within health.kafka.timeout: the probe must wait longer than that
        AppConfig.value(config, pod.env(), "health.kafka.timeout").map(KubernetesManifestsTest::seconds)
                .ifPresent(kafkaCheck -> assertThat(pod.container().getReadinessProbe().getTimeoutSeconds())
                        .as("readiness timeoutSeconds > health.kafka.timeout").isGreaterThan((int) Math.ceil(kafkaCheck)));
        // before the management port opens, start-up reads the orders and the journal back, each within
        // recovery.read-timeout: the startup probe must allow both
        Probe startup = pod.container().getStartupProbe();
        long startupBudget = (long) orZero(startup.getInitialDelaySeconds())
                + (long) startup.getPeriodSeconds() * startup.getFailureThreshold();
        double readTimeout = seconds(pod.setting(config, "recovery.read-timeout"));
        assertThat((double) startupBudget).as("startup probe budget (s) >= 2 x recovery.read-timeout")
                .isGreaterThanOrEqualTo(2 * readTimeout);

        // Hawtio Online: a port named jolokia, and where Jolokia is on it
        Map<String, String> annotations = pod.deployment().getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(annotations).containsEntry("hawt.io/protocol", "http")
                .containsEntry("hawt.io/jolokiaPath", jolokiaPath + "/");

        Service service = pod.manifests().one(Service.class);
        assertThat(service.getSpec().getSelector()).isNotEmpty();
        assertThat(pod.deployment().getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        for (ServicePort port : service.getSpec().getPorts()) {
            assertThat(pod.resolve(port.getTargetPort())).as("Service port " + port.getName()).isEqualTo(apiPort);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyEnvironmentVariableIsOneTheApplicationBinds(String overlay) {
        Pod pod = Pod.of(overlay);
        Set<String> bound = AppConfig.allKeys().stream().map(AppConfig::envName).collect(Collectors.toSet());
        bound.addAll(NOT_PROPERTIES);
        Set<String> names = new TreeSet<>();
        pod.container().getEnv().forEach(env -> names.add(env.getName()));
        ContainerImage.read().env().keySet().forEach(names::add);
        // variables given wholesale from a ConfigMap or Secret: their keys
        for (var source : pod.container().getEnvFrom() == null ? List.<io.fabric8.kubernetes.api.model.EnvFromSource>of()
                : pod.container().getEnvFrom()) {
            if (source.getConfigMapRef() != null) {
                ConfigMap map = pod.manifests().named(ConfigMap.class, source.getConfigMapRef().getName())
                        .orElseThrow(() -> new AssertionError("envFrom ConfigMap " + source.getConfigMapRef().getName()
                                + " is not in the overlay"));
                names.addAll(map.getData().keySet());
            }
        }
        assertThat(names).as("environment variables of the pod, each = a property in config/*.properties by Camel's "
                + "rule (a.b-c -> A_B_C), or one of " + NOT_PROPERTIES).isSubsetOf(bound);
        assertThat(pod.env()).containsEntry("APP_PROFILE", PROFILE);
        assertThat(names).contains("KAFKA_BOOTSTRAP_SERVERS", "API_AUTH_TOKEN", "MANAGEMENT_AUTH_USERNAME",
                "MANAGEMENT_AUTH_PASSWORD", "KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_JAAS_CONFIG",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "KAFKA_SSL_TRUSTSTORE_PASSWORD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theContainerRunsAsNonRootOnAReadOnlyRootFileSystem(String overlay) {
        Pod pod = Pod.of(overlay);
        PodSpec spec = pod.spec();
        Container container = pod.container();
        boolean nonRoot = Boolean.TRUE.equals(spec.getSecurityContext() == null ? null
                : spec.getSecurityContext().getRunAsNonRoot())
                || container.getSecurityContext() != null
                && Boolean.TRUE.equals(container.getSecurityContext().getRunAsNonRoot());
        assertThat(nonRoot).as("runAsNonRoot").isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as("readOnlyRootFilesystem").isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).contains("ALL");
        Long runAsUser = spec.getSecurityContext().getRunAsUser();
        assertThat(runAsUser).as("runAsUser").isNotNull().isPositive();
        assertThat(ContainerImage.read().user()).as("the image's USER is the pod's runAsUser")
                .startsWith(runAsUser + ":").doesNotStartWith("0:");

        Volume tmp = pod.volumeMountedAt("/tmp");
        assertThat(tmp.getEmptyDir()).as("/tmp is an emptyDir").isNotNull();
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKey("memory");
        assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theGracePeriodOutlastsThePreStopPauseAndCamelsShutdown(String overlay) {
        Pod pod = Pod.of(overlay);
        Map<String, String> config = AppConfig.profile(PROFILE);
        long shutdownTimeout = Long.parseLong(pod.setting(config, "camel.main.shutdown-timeout"));
        List<String> preStop = pod.container().getLifecycle().getPreStop().getExec().getCommand();
        assertThat(preStop).as("preStop: a pause, with the image's sleep").hasSize(2).first().isEqualTo("sleep");
        long pause = Long.parseLong(preStop.get(1));
        assertThat(pod.spec().getTerminationGracePeriodSeconds())
                .as("terminationGracePeriodSeconds > preStop pause + camel.main.shutdown-timeout")
                .isGreaterThan(pause + shutdownTimeout);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void replicasShareTheSagasUpToThePartitionCountAndOneIsAlwaysUp(String overlay) {
        Pod pod = Pod.of(overlay);
        Deployment deployment = pod.deployment();
        HorizontalPodAutoscaler hpa = pod.manifests().one(HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(hpa.getSpec().getMetrics()).anySatisfy(metric ->
                assertThat(metric.getResource().getName()).isEqualTo("cpu"));
        assertThat(deployment.getSpec().getReplicas())
                .as("the Deployment sets no replica count: the autoscaler owns it (a count would reset it at every apply)")
                .isNull();
        // a replica beyond the partition count of the co-partitioned topics would drive no saga
        Map<String, KafkaTopic> topics = topics("k8s/topics");
        Set<Integer> partitions = KafkaUse.sharedPartitionTopics().stream()
                .map(name -> topics.get(name).spec().partitions()).collect(Collectors.toSet());
        assertThat(partitions).as("replies, journal and orders have one partition count").hasSize(1);
        assertThat(hpa.getSpec().getMaxReplicas()).as("maxReplicas = partitions of the orchestrator's topics")
                .isEqualTo(partitions.iterator().next());
        assertThat(hpa.getSpec().getMinReplicas()).as("a second replica takes over at once").isGreaterThanOrEqualTo(2);
        // a rollout adds the new pod before it stops an old one, which hands its partitions over on SIGTERM
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        PodDisruptionBudget pdb = pod.manifests().one(PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).as("a drain never blocks: min < minReplicas")
                .isBetween(1, hpa.getSpec().getMinReplicas() - 1);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .isEqualTo(pdb.getSpec().getSelector().getMatchLabels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void replicasAreSpreadOverNodesAndZones(String overlay) {
        Pod pod = Pod.of(overlay);
        Map<String, TopologySpreadConstraint> byKey = pod.spec().getTopologySpreadConstraints().stream()
                .collect(Collectors.toMap(TopologySpreadConstraint::getTopologyKey, Function.identity()));
        assertThat(byKey).containsOnlyKeys("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        byKey.forEach((key, spread) -> {
            assertThat(pod.labels()).as(key + ": selects this Deployment's pods")
                    .containsAllEntriesOf(spread.getLabelSelector().getMatchLabels());
            assertThat(spread.getMaxSkew()).as(key + ": maxSkew").isEqualTo(1);
            assertThat(spread.getMatchLabelKeys()).as(key + ": each revision spread on its own, rollouts not held back")
                    .containsExactly("pod-template-hash");
        });
        TopologySpreadConstraint nodes = byKey.get("kubernetes.io/hostname");
        assertThat(nodes.getWhenUnsatisfiable()).as("never two replicas on one node while another has none")
                .isEqualTo("DoNotSchedule");
        assertThat(nodes.getNodeTaintsPolicy()).as("cordoned nodes do not block scheduling").isEqualTo("Honor");
        assertThat(byKey.get("topology.kubernetes.io/zone").getWhenUnsatisfiable())
                .as("zones are a preference: a cluster without them still schedules").isEqualTo("ScheduleAnyway");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theNetworkPolicyLetsInTheApiAndTheManagementPortAndOutOnlyKafkaAndDns(String overlay) {
        Pod pod = Pod.of(overlay);
        NetworkPolicy policy = pod.manifests().one(NetworkPolicy.class);
        assertThat(pod.labels()).as("the policy selects the orchestrator's pods")
                .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");

        Set<Integer> inbound = new TreeSet<>();
        policy.getSpec().getIngress().forEach(rule -> rule.getPorts().forEach(port -> {
            assertThat(port.getProtocol()).isEqualTo("TCP");
            inbound.add(pod.resolve(port.getPort()));
        }));
        assertThat(inbound).as("ingress: exactly the container's ports (API, management)")
                .containsExactlyInAnyOrderElementsOf(pod.container().getPorts().stream()
                        .map(ContainerPort::getContainerPort).toList());

        // out: the Kafka cluster of k8s/topics and k8s/users, on the overlay's bootstrap port; and DNS
        String bootstrap = pod.setting(Map.of(), "kafka.bootstrap.servers");
        int kafkaPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        KafkaTopic topic = topics("k8s/topics").values().iterator().next();
        List<NetworkPolicyEgressRule> toKafka = policy.getSpec().getEgress().stream()
                .filter(rule -> rule.getTo().stream().anyMatch(peer -> peer.getPodSelector() != null
                        && peer.getPodSelector().getMatchLabels().containsKey("strimzi.io/cluster"))).toList();
        assertThat(toKafka).as("one egress rule to the Kafka cluster").hasSize(1);
        assertThat(toKafka.get(0).getTo()).allSatisfy(peer -> {
            assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .containsExactly(Map.entry("kubernetes.io/metadata.name", topic.metadata().getNamespace()));
            assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("strimzi.io/cluster",
                    topic.metadata().getLabels().get("strimzi.io/cluster"));
        });
        assertThat(toKafka.get(0).getPorts()).extracting(port -> port.getPort().getIntVal())
                .as("the bootstrap port of " + bootstrap).contains(kafkaPort);
        assertThat(policy.getSpec().getEgress()).as("DNS").anySatisfy(rule -> assertThat(rule.getPorts())
                .anySatisfy(port -> {
                    assertThat(port.getPort().getIntVal()).isEqualTo(53);
                    assertThat(port.getProtocol()).isEqualTo("UDP");
                }));
        assertThat(policy.getSpec().getEgress()).as("nothing else goes out").hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void thePodMonitorScrapesEachPodsMetricsWithTheManagementCredentials(String overlay) {
        Pod pod = Pod.of(overlay);
        Map<String, String> config = AppConfig.profile(PROFILE);
        PodMonitor monitor = pod.manifests().one(PodMonitor.class);
        assertThat(pod.labels()).as("the PodMonitor selects the orchestrator's pods")
                .containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        assertThat(monitor.getSpec().getPodMetricsEndpoints()).hasSize(1);
        PodMetricsEndpoint endpoint = monitor.getSpec().getPodMetricsEndpoints().get(0);
        assertThat(pod.port(endpoint.getPort())).as("scraped on the management port")
                .isEqualTo(Integer.parseInt(pod.setting(config, "management.port")));
        assertThat(endpoint.getPath()).isEqualTo(AppConfig.value(config, pod.env(), "camel.management.metrics-path")
                .orElse(DEFAULT_METRICS_PATH));
        // the credentials the pod's management port checks: the Secret and keys of MANAGEMENT_AUTH_*
        Map<String, Ref> podSecrets = pod.references().stream().filter(Ref::secret)
                .collect(Collectors.toMap(ref -> ref.where(), Function.identity()));
        assertThat(Pod.ref(endpoint.getBasicAuth().getUsername())).isEqualTo(
                podSecrets.get("env MANAGEMENT_AUTH_USERNAME").withoutPlace());
        assertThat(Pod.ref(endpoint.getBasicAuth().getPassword())).isEqualTo(
                podSecrets.get("env MANAGEMENT_AUTH_PASSWORD").withoutPlace());
        assertThat(monitor.getMetadata().getNamespace()).as("the Secret's namespace, as the operator requires")
                .isEqualTo(pod.deployment().getMetadata().getNamespace());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyReferencedSecretAndConfigMapIsDefinedOrListedForThePlatformToCreate(String overlay) {
        Pod pod = Pod.of(overlay);
        Map<String, Set<String>> documented = OperatorDocs.secretsToCreate();
        List<String> problems = new ArrayList<>();
        for (Ref ref : pod.references()) {
            if (ref.secret()) {
                Secret secret = pod.manifests().named(Secret.class, ref.name()).orElse(null);
                if (secret != null) {
                    Set<String> keys = new HashSet<>();
                    if (secret.getData() != null) keys.addAll(secret.getData().keySet());
                    if (secret.getStringData() != null) keys.addAll(secret.getStringData().keySet());
                    if (ref.key() != null && !ref.optional() && !keys.contains(ref.key())) {
                        problems.add(ref + ": the overlay's Secret has no such key " + keys);
                    }
                } else if (!documented.containsKey(ref.name())) {
                    problems.add(ref + ": neither in the overlay nor listed in k8s/README.md, 'Secrets to create'");
                } else if (ref.key() != null && !documented.get(ref.name()).contains(ref.key())) {
                    problems.add(ref + ": k8s/README.md does not list the key");
                }
            } else {
                ConfigMap map = pod.manifests().named(ConfigMap.class, ref.name()).orElse(null);
                if (map == null) {
                    problems.add(ref + ": no such ConfigMap in the overlay");
                } else if (ref.key() != null && !ref.optional() && !map.getData().containsKey(ref.key())) {
                    problems.add(ref + ": the ConfigMap has no such key " + map.getData().keySet());
                }
            }
        }
        assertThat(problems).isEmpty();
        if (overlay.equals("prod")) {
            assertThat(pod.manifests().all(Secret.class)).as("prod carries no secret values").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theConfigMapIsConfigFolderMountedFirstOnTheClassPath(String overlay) throws IOException {
        Pod pod = Pod.of(overlay);
        ContainerImage image = ContainerImage.read();
        String configDir = image.classPath().get(0);
        Volume volume = pod.volumeMountedAt(configDir);
        assertThat(volume.getConfigMap()).as("the volume at " + configDir + " is a ConfigMap").isNotNull();
        ConfigMap map = pod.manifests().named(ConfigMap.class, volume.getConfigMap().getName()).orElseThrow();
        Map<String, String> files = new HashMap<>();
        for (Path file : AppConfig.files()) {
            String name = file.getFileName().toString();
            if (!name.equals("kustomization.yaml")) {
                files.put(name, Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        assertThat(map.getData().keySet()).as("the files of config/ in the ConfigMap (list each one in "
                + "config/kustomization.yaml)").containsExactlyInAnyOrderElementsOf(files.keySet());
        files.forEach((name, content) -> assertThat(map.getData().get(name)).as(name + " as it is").isEqualTo(content));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theContainerPortsAreThoseTheImageExposes(String overlay) {
        assertThat(Pod.of(overlay).container().getPorts()).extracting(ContainerPort::getContainerPort)
                .containsExactlyInAnyOrderElementsOf(ContainerImage.read().exposedPorts());
    }

    // ---- the topics ---------------------------------------------------------------------------------------------

    @Test
    void theTopicsAreThoseTheOrchestratorWouldCreateForTheDeclaredFlows() {
        assertTopicsAre("k8s/topics", KafkaUse.orchestratorTopics());
    }

    @Test
    void theReferenceParticipantsLedgerHasOnePartitionKeptForEver() {
        assertTopicsAre("k8s/topics/reference-participants", KafkaUse.referenceParticipantTopics());
    }

    @Test
    void theOperatorActionTopicHasThePartitionsOfTheSagaTopicsAndKeepsItsRecordsAsLongAsTheCommands() {
        // an operator action is carried out by the owner of its order's partition number: the counts must match
        Map<String, KafkaTopic> topics = topics("k8s/topics");
        Map<String, String> config = AppConfig.profile(PROFILE);
        KafkaTopic actions = topics.get(config.get("topics.operator-actions"));
        assertThat(actions).as("a KafkaTopic for topics.operator-actions").isNotNull();
        assertThat(actions.spec().partitions()).isEqualTo(topics.get(config.get("topics.replies")).spec().partitions());
        assertThat(actions.config("retention.ms")).as("kept as long as the commands and replies")
                .isEqualTo(topics.get(config.get("topics.replies")).config("retention.ms"));
        assertThat(KafkaUse.orchestrator()).as("the orchestrator writes, reads, and commits its offsets in a group "
                + "of its own").contains(
                KafkaUse.Access.topic(config.get("topics.operator-actions"), "Describe", "Read", "Write"),
                KafkaUse.Access.group(config.get("orchestrator.operator-actions.group-id"), "Describe", "Read"));
    }

    // ---- the Kafka users -----------------------------------------------------------------------------------------

    @Test
    void theOrchestratorsKafkaUserMayDoExactlyWhatTheOrchestratorDoes() {
        assertKafkaUserAllows("k8s/users", KafkaUse.orchestrator(), KafkaUse.orchestratorPrefixes());
    }

    @Test
    void theReferenceParticipantsKafkaUserMayDoExactlyWhatTheyDo() {
        assertKafkaUserAllows("k8s/users/reference-participants", KafkaUse.referenceParticipants(),
                KafkaUse.referenceParticipantPrefixes());
    }

    /**
     * k8s/topics/.. holds exactly these topics, with their partitions and the configs the application sets; a topic
     * the declared flows need that is missing, or one that no flow needs any more, is named.
     */
    private static void assertTopicsAre(String dir, List<KafkaUse.Topic> expected) {
        Map<String, KafkaTopic> topics = topics(dir);
        Set<String> missing = expected.stream().map(KafkaUse.Topic::name).filter(name -> !topics.containsKey(name))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> stale = new TreeSet<>(topics.keySet());
        expected.forEach(topic -> stale.remove(topic.name()));
        assertThat(missing).as("topics the declared flows need that %s lacks", dir).isEmpty();
        assertThat(stale).as("topics in %s that no declared flow needs", dir).isEmpty();
        for (KafkaUse.Topic wanted : expected) {
            KafkaTopic topic = topics.get(wanted.name());
            assertThat(topic.spec().partitions()).as(wanted.name() + ": partitions").isEqualTo(wanted.partitions());
            wanted.config().forEach((key, value) -> assertThat(topic.config(key)).as(wanted.name() + ": " + key)
                    .isEqualTo(value));
            if (!wanted.config().containsKey("cleanup.policy")) {
                assertThat(topic.config("cleanup.policy")).as(wanted.name() + ": not compacted").isNull();
            }
        }
    }

    /**
     * The one KafkaUser of {@code dir}: SCRAM or TLS, simple ACLs that allow exactly {@code uses}: each use is covered,
     * by a literal ACL on its name or a prefix ACL on one of the application's {@code prefixes}, with exactly its
     * operations; every ACL covers a use. A use no ACL covers (say, a participant's command topic named outside the
     * prefix), an ACL that allows more or less than a use it covers, and an ACL no use needs are named.
     */
    private static void assertKafkaUserAllows(String dir, List<KafkaUse.Access> uses, List<KafkaUse.Prefix> prefixes) {
        Manifests manifests = Manifests.of(dir);
        KafkaUser user = manifests.one(KafkaUser.class);
        assertThat(manifests.all()).as(dir + " holds only the KafkaUser").hasSize(1);
        assertThat(user.metadata().getLabels()).as("the Kafka cluster, as for the topics")
                .containsEntry("strimzi.io/cluster", strimziCluster());
        assertThat(user.metadata().getNamespace()).as("the User Operator's namespace, as for the topics")
                .isEqualTo(topics("k8s/topics").values().iterator().next().metadata().getNamespace());
        assertThat(user.spec().authentication().type()).isIn(KafkaUser.AUTHENTICATION_TYPES);
        assertThat(user.spec().authorization().type()).isEqualTo("simple");
        for (KafkaUser.AclRule rule : user.spec().authorization().acls()) {
            assertThat(rule.type()).as("an allow rule").isIn(null, "allow");
            assertThat(rule.host()).as("from any host").isIn(null, "*");
            assertThat(rule.resource().type()).isIn(KafkaUser.RESOURCE_TYPES);
            assertThat(rule.resource().patternType()).as(rule.resource().name() + ": literal or prefix")
                    .isIn(null, "literal", "prefix");
            if ("prefix".equals(rule.resource().patternType())) {
                assertThat(new KafkaUse.Prefix(rule.resource().type(), rule.resource().name()))
                        .as("a prefix ACL in %s on a prefix the application names its %ss under", dir,
                                rule.resource().type())
                        .isIn(prefixes);
            }
            assertThat(rule.operations()).as(rule.resource().name()).isNotEmpty().doesNotHaveDuplicates()
                    .isSubsetOf(KafkaUser.OPERATIONS);
        }
        List<KafkaUser.Allowed> allowed = user.allowed();
        List<String> uncovered = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (KafkaUse.Access use : uses) {
            List<KafkaUser.Allowed> covering = allowed.stream().filter(rule -> rule.covers(use)).toList();
            if (covering.isEmpty()) {
                uncovered.add(use.resourceType() + " " + use.name() + " " + use.operations());
                continue;
            }
            Set<String> operations = new TreeSet<>();
            covering.forEach(rule -> operations.addAll(rule.operations()));
            if (!operations.equals(use.operations())) {
                wrong.add(use.resourceType() + " " + use.name() + ": needs " + use.operations() + ", " + covering
                        + " allow " + operations);
            }
        }
        List<String> stale = allowed.stream().filter(rule -> uses.stream().noneMatch(rule::covers))
                .map(KafkaUser.Allowed::toString).toList();
        assertThat(uncovered).as("topics and groups the role uses that no ACL of %s allows (a literal ACL, or a name "
                + "under the prefix %s)", dir, prefixes).isEmpty();
        assertThat(wrong).as("uses whose ACLs in %s allow other operations than the role's", dir).isEmpty();
        assertThat(stale).as("ACLs of %s that allow nothing the role uses", dir).isEmpty();
    }

    private static String strimziCluster() {
        Set<String> clusters = topics("k8s/topics").values().stream()
                .map(topic -> topic.metadata().getLabels().get("strimzi.io/cluster")).collect(Collectors.toSet());
        assertThat(clusters).hasSize(1);
        return clusters.iterator().next();
    }

    private static Map<String, KafkaTopic> topics(String dir) {
        List<KafkaTopic> topics = Manifests.of(dir).all(KafkaTopic.class);
        assertThat(Manifests.of(dir).all()).as(dir + " holds only KafkaTopics").hasSameSizeAs(topics);
        topics.forEach(topic -> {
            assertThat(topic.apiVersion()).as("Strimzi's v1 API").isEqualTo("kafka.strimzi.io/v1");
            assertThat(topic.metadata().getLabels()).containsKey("strimzi.io/cluster");
        });
        return topics.stream().collect(Collectors.toMap(KafkaTopic::topicName, Function.identity()));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static double seconds(String duration) {
        return TimeUtils.toMilliSeconds(duration) / 1000.0;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    /** A reference from the pod to a Secret or ConfigMap (and one of its keys, if any). */
    record Ref(boolean secret, String name, String key, boolean optional, String where) {

        /** The same reference, whoever makes it. */
        Ref withoutPlace() {
            return new Ref(secret, name, key, optional, "");
        }

        @Override
        public String toString() {
            return where + " -> " + (secret ? "Secret " : "ConfigMap ") + name + (key == null ? "" : "/" + key);
        }
    }

    /** The orchestrator's pod as an overlay renders it. */
    record Pod(Manifests manifests, Deployment deployment) {

        static Pod of(String overlay) {
            Manifests manifests = Manifests.of("k8s/overlays/" + overlay);
            return new Pod(manifests, manifests.one(Deployment.class));
        }

        PodSpec spec() {
            return deployment.getSpec().getTemplate().getSpec();
        }

        Map<String, String> labels() {
            return deployment.getSpec().getTemplate().getMetadata().getLabels();
        }

        /** A key of a Secret named elsewhere than in the pod (a PodMonitor's credentials), as a {@link Ref}. */
        static Ref ref(SecretKeySelector selector) {
            return new Ref(true, selector.getName(), selector.getKey(), Boolean.TRUE.equals(selector.getOptional()), "");
        }

        Container container() {
            assertThat(spec().getContainers()).hasSize(1);
            return spec().getContainers().get(0);
        }

        /**
         * The variables the container sets with a literal value or from the overlay's ConfigMaps (whole, envFrom, or
         * a key); env wins over envFrom, as in Kubernetes.
         */
        Map<String, String> env() {
            Map<String, String> env = new HashMap<>();
            if (container().getEnvFrom() != null) {
                container().getEnvFrom().stream().filter(from -> from.getConfigMapRef() != null)
                        .forEach(from -> manifests.named(ConfigMap.class, from.getConfigMapRef().getName())
                                .ifPresent(map -> env.putAll(map.getData())));
            }
            for (EnvVar var : container().getEnv()) {
                if (var.getValue() != null) {
                    env.put(var.getName(), var.getValue());
                } else if (var.getValueFrom() != null && var.getValueFrom().getConfigMapKeyRef() != null) {
                    var ref = var.getValueFrom().getConfigMapKeyRef();
                    manifests.named(ConfigMap.class, ref.getName()).map(map -> map.getData().get(ref.getKey()))
                            .ifPresent(value -> env.put(var.getName(), value));
                }
            }
            return env;
        }

        /** A setting as the pod's application sees it (profile, then the pod's literal env); required. */
        String setting(Map<String, String> profile, String key) {
            return AppConfig.value(profile, env(), key)
                    .orElseThrow(() -> new AssertionError("No value for " + key + " in config/ or the pod"));
        }

        int port(String name) {
            return container().getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError("No container port named " + name)).getContainerPort();
        }

        /** A port given by number or by the name of a container port. */
        int resolve(IntOrString port) {
            return port.getIntVal() != null ? port.getIntVal() : port(port.getStrVal());
        }

        Volume volumeMountedAt(String path) {
            VolumeMount mount = container().getVolumeMounts().stream().filter(m -> path.equals(m.getMountPath()))
                    .findFirst().orElseThrow(() -> new AssertionError("Nothing is mounted at " + path));
            return spec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError("No volume " + mount.getName()));
        }

        List<Ref> references() {
            List<Ref> refs = new ArrayList<>();
            for (EnvVar var : container().getEnv()) {
                if (var.getValueFrom() == null) {
                    continue;
                }
                var secret = var.getValueFrom().getSecretKeyRef();
                if (secret != null) {
                    refs.add(new Ref(true, secret.getName(), secret.getKey(), Boolean.TRUE.equals(secret.getOptional()),
                            "env " + var.getName()));
                }
                var map = var.getValueFrom().getConfigMapKeyRef();
                if (map != null) {
                    refs.add(new Ref(false, map.getName(), map.getKey(), Boolean.TRUE.equals(map.getOptional()),
                            "env " + var.getName()));
                }
            }
            if (container().getEnvFrom() != null) {
                container().getEnvFrom().forEach(from -> {
                    if (from.getSecretRef() != null) {
                        refs.add(new Ref(true, from.getSecretRef().getName(), null,
                                Boolean.TRUE.equals(from.getSecretRef().getOptional()), "envFrom"));
                    }
                    if (from.getConfigMapRef() != null) {
                        refs.add(new Ref(false, from.getConfigMapRef().getName(), null,
                                Boolean.TRUE.equals(from.getConfigMapRef().getOptional()), "envFrom"));
                    }
                });
            }
            for (Volume volume : spec().getVolumes()) {
                if (volume.getSecret() != null) {
                    refs.add(new Ref(true, volume.getSecret().getSecretName(), null,
                            Boolean.TRUE.equals(volume.getSecret().getOptional()), "volume " + volume.getName()));
                }
                if (volume.getConfigMap() != null) {
                    refs.add(new Ref(false, volume.getConfigMap().getName(), null,
                            Boolean.TRUE.equals(volume.getConfigMap().getOptional()), "volume " + volume.getName()));
                }
            }
            return refs;
        }
    }
}
