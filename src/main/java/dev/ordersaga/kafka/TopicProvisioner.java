package dev.ordersaga.kafka;

import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics the application uses, explicitly, as configured; topics that exist already are left as they are. */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {
    }

    /** A topic to create: name, partitions, replication factor, and topic configs such as cleanup.policy. */
    public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

        NewTopic toNewTopic() {
            return new NewTopic(name, partitions, replicationFactor).configs(configs);
        }
    }

    public static void ensureTopics(Map<String, Object> clientConfig, Collection<TopicSpec> topics,
                                    long timeoutMillis) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMillis);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMillis);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS);
            Set<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name()))
                    .map(TopicSpec::toNewTopic).collect(Collectors.toSet());
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
                LOG.info("Created topics {}", missing.stream().map(NewTopic::name).sorted().toList());
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException("Could not create topics: " + e.getCause().getMessage(), e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not create topics at "
                    + clientConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The partition count shared by topics that must be co-partitioned: a saga's records are keyed by its order id
     * in all of them, and its owner is found by partition number, so the counts must be equal.
     */
    public static int sharedPartitionCount(Admin admin, Collection<String> topics, long timeoutMillis) {
        Map<String, Integer> counts;
        try {
            counts = admin.describeTopics(topics).allTopicNames().get(timeoutMillis, TimeUnit.MILLISECONDS)
                    .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                            e -> e.getValue().partitions().size()));
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not describe topics " + topics + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("Could not describe topics " + topics + ": " + e.getMessage(), e);
        }
        if (counts.values().stream().distinct().count() != 1) {
            throw new IllegalStateException("Topics " + topics + " must have the same number of partitions (a saga's "
                    + "records share a partition number in all of them); they have " + counts);
        }
        return counts.values().iterator().next();
    }
}
