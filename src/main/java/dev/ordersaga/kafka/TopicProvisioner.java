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

/** Creates the topics the application uses, explicitly, with the partition count from config; existing ones stay. */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {
    }

    public static void ensureTopics(Map<String, Object> clientConfig, Collection<String> topics, int partitions,
                                    short replicationFactor, long timeoutMillis) {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMillis);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMillis);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS);
            Set<NewTopic> missing = topics.stream().distinct().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, replicationFactor))
                    .collect(Collectors.toSet());
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
                LOG.info("Created topics {} with {} partition(s)",
                        missing.stream().map(NewTopic::name).sorted().toList(), partitions);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException("Could not create topics " + topics + ": " + e.getCause().getMessage(),
                        e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not create topics " + topics + " at "
                    + clientConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + ": " + e.getMessage(), e);
        }
    }
}
