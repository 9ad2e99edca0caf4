package dev.ordersaga.deploy;

import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * A Strimzi {@code KafkaTopic} (kafka.strimzi.io/v1), as far as k8s/topics uses it, with the field names of Strimzi's
 * own model (io.strimzi:api, KafkaTopicSpec): read strictly, an unknown field is an error (the fabric8 model has no
 * Strimzi types, and Strimzi's would bring another fabric8 and Jackson onto the test class path).
 */
public record KafkaTopic(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    /** Strimzi's KafkaTopicSpec: partitions and replicas default to the broker's settings when absent. */
    public record Spec(String topicName, Integer partitions, Integer replicas, Map<String, Object> config) {
    }

    /** The topic's name in Kafka: spec.topicName, or else the resource's name. */
    public String topicName() {
        return spec.topicName() != null ? spec.topicName() : metadata.getName();
    }

    /** A topic config value as a string ("compact", "-1"), or null. */
    public String config(String key) {
        Object value = spec.config() == null ? null : spec.config().get(key);
        return value == null ? null : value.toString();
    }
}
