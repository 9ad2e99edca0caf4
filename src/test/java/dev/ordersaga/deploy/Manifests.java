package dev.ordersaga.deploy;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;

/**
 * The resources of a rendered kustomization, read into the typed fabric8 Kubernetes model (the Prometheus Operator's
 * PodMonitor too; Strimzi's topics and users into {@link KafkaTopic} and {@link KafkaUser}). Strict: a kind this project does not deploy, or a field the model does not know (the fabric8
 * classes keep those in "additionalProperties" instead of failing), is an error naming the resource and the field.
 */
public final class Manifests {

    /** Jackson 2, which the fabric8 7 model is annotated for (its own deserializers, e.g. Quantity's, apply). */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** apiVersion/kind → the class it is read into; anything else is refused. */
    private static final Map<String, Class<?>> TYPES = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class));

    private final List<Object> resources;

    private Manifests(List<Object> resources) {
        this.resources = List.copyOf(resources);
    }

    /** Renders {@code dir} (relative to the repository root) with kubectl kustomize and reads it. */
    public static Manifests of(String dir) {
        return parse(dir, Kustomize.render(dir));
    }

    static Manifests parse(String source, String yaml) {
        List<Object> resources = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
                String name = type + " " + document.path("metadata").path("name").asText();
                Class<?> target = TYPES.get(type);
                if (target == null) {
                    throw new AssertionError(source + ": " + name + " is not a kind this project deploys " + TYPES.keySet());
                }
                Object resource = YAML.treeToValue(document, target);
                List<String> unknown = new ArrayList<>();
                findUnknownFields(resource, "", unknown);
                if (!unknown.isEmpty()) {
                    throw new AssertionError(source + ": " + name + " has fields the Kubernetes model does not know: "
                            + unknown);
                }
                resources.add(resource);
            }
        } catch (IOException e) {
            throw new AssertionError(source + ": not valid for the Kubernetes model: " + e.getMessage(), e);
        }
        return new Manifests(resources);
    }

    public List<Object> all() {
        return resources;
    }

    public <T> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The only resource of a type; fails if there is none or more than one. */
    public <T> T one(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError("Expected exactly one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    public <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return all(type).stream().filter(r -> name.equals(r.getMetadata().getName())).findFirst();
    }

    /** Walks the fabric8 model tree and lists every non-empty additionalProperties with its path. */
    private static void findUnknownFields(Object value, String path, List<String> unknown) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                findUnknownFields(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> findUnknownFields(item, path + "." + key, unknown));
            return;
        }
        Class<?> type = value.getClass();
        // the fabric8 model, and the records of this package that hold fabric8 objects (a resource's metadata)
        boolean model = type.getName().startsWith("io.fabric8.")
                || type.isRecord() && type.getPackageName().equals(Manifests.class.getPackageName());
        if (!model) {
            return;
        }
        for (Method getter : type.getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = getter.getName();
            boolean beanGetter = name.startsWith("get") || (type.isRecord() && isRecordComponent(type, name));
            if (!beanGetter) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(key -> unknown.add(path + "." + key));
                }
            } else if (path.length() < 1000) {
                findUnknownFields(child, path + "." + property(name), unknown);
            }
        }
    }

    private static boolean isRecordComponent(Class<?> type, String name) {
        for (var component : type.getRecordComponents()) {
            if (component.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static String property(String getter) {
        if (getter.startsWith("get") && getter.length() > 3) {
            return Character.toLowerCase(getter.charAt(3)) + getter.substring(4);
        }
        return getter;
    }
}
