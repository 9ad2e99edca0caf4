package dev.ordersaga.deploy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * A Strimzi {@code KafkaUser} (kafka.strimzi.io/v1), with the field names of Strimzi's own model (io.strimzi:api
 * 1.2: KafkaUserSpec, KafkaUserAuthorizationSimple, AclRule, AclRule*Resource), read strictly like {@link KafkaTopic}.
 */
public record KafkaUser(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    /** Strimzi's values (StrimziAclOperation, AclRuleType, AclResourcePatternType, the resource and auth types). */
    static final Set<String> OPERATIONS = Set.of("Read", "Write", "Create", "Delete", "Alter", "Describe",
            "ClusterAction", "AlterConfigs", "DescribeConfigs", "IdempotentWrite", "All");
    static final Set<String> RESOURCE_TYPES = Set.of("topic", "group", "cluster", "transactionalId");
    static final Set<String> PATTERN_TYPES = Set.of("literal", "prefix");
    static final Set<String> AUTHENTICATION_TYPES = Set.of("tls", "tls-external", "scram-sha-512");

    public record Spec(Authentication authentication, Authorization authorization, Map<String, Object> quotas,
                       Map<String, Object> template) {
    }

    public record Authentication(String type, Map<String, Object> password) {
    }

    public record Authorization(String type, List<AclRule> acls) {
    }

    /** One ACL rule: allow (the default) or deny the operations on a resource, from a host ("*", the default). */
    public record AclRule(String type, Resource resource, String host, List<String> operations) {
    }

    public record Resource(String type, String name, String patternType) {
    }

    /**
     * What one rule allows: the operations on the resource of that name ({@code literal}), or on every resource whose
     * name starts with it ({@code prefix}), as Kafka's authorizer matches them.
     */
    public record Allowed(String resourceType, String name, String patternType, Set<String> operations) {

        public boolean isPrefix() {
            return "prefix".equals(patternType);
        }

        /** Whether this rule applies to the resource of {@code use} (whatever the operations). */
        public boolean covers(KafkaUse.Access use) {
            return resourceType.equals(use.resourceType())
                    && (isPrefix() ? use.name().startsWith(name) : use.name().equals(name));
        }

        @Override
        public String toString() {
            return resourceType + " " + name + (isPrefix() ? "* (prefix)" : "") + " " + operations;
        }
    }

    /** The user's ACLs as what they allow: one {@link Allowed} per rule. */
    public List<Allowed> allowed() {
        return spec.authorization().acls().stream().map(rule -> new Allowed(rule.resource().type(),
                rule.resource().name(), rule.resource().patternType() == null ? "literal"
                : rule.resource().patternType(), new TreeSet<>(rule.operations()))).toList();
    }
}
