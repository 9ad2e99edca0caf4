package dev.ordersaga.observe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;

/**
 * Readiness as Kafka sees it: the cluster answers, and every consumer of this process has joined its group (so that
 * the replies of the sagas it starts reach it). DOWN until then, and DOWN again while the cluster cannot be reached.
 * Not a liveness check: a broker outage must not get the pod restarted; its sagas wait, or are compensated.
 */
public final class KafkaReadinessCheck extends AbstractHealthCheck {

    private final Admin admin;
    private final Map<String, String> instanceIdByGroup;
    private final Duration timeout;

    /**
     * @param instanceIdByGroup for each consumer group this process consumes in, the static member id it joins with
     */
    public KafkaReadinessCheck(Admin admin, Map<String, String> instanceIdByGroup, Duration timeout) {
        super("ordersaga", "kafka");
        this.admin = admin;
        this.instanceIdByGroup = Map.copyOf(instanceIdByGroup);
        this.timeout = timeout;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            int brokers = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            builder.detail("brokers", brokers);
            Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(instanceIdByGroup.keySet())
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            for (Map.Entry<String, String> expected : instanceIdByGroup.entrySet()) {
                ConsumerGroupDescription group = groups.get(expected.getKey());
                boolean joined = group != null && group.members().stream().map(MemberDescription::groupInstanceId)
                        .anyMatch(id -> id.filter(expected.getValue()::equals).isPresent());
                if (!joined) {
                    builder.down().message("consumer " + expected.getValue() + " has not joined group "
                            + expected.getKey() + " yet");
                    return;
                }
            }
            builder.up();
        } catch (TimeoutException e) {
            builder.down().message("Kafka did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            builder.down().message("Kafka is not reachable: " + e.getCause().getMessage()).error(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.down().message("interrupted");
        }
    }
}
