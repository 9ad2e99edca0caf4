package dev.ordersaga.kafka;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * Subscribes camel-kafka's consumers as Camel does, and tells a {@link PartitionListener} when the consumer of one
 * topic gains or loses partitions of it: how the orchestrator learns which sagas are its own. Camel finds it in the
 * registry under {@code subscribeAdapter} (KafkaConstants.KAFKA_SUBSCRIBE_ADAPTER) and uses it for every consumer;
 * the others are subscribed unchanged.
 */
public final class RebalanceAwareSubscribeAdapter implements SubscribeAdapter {

    /** Told of partition changes of the watched topic, on the consumer's thread, inside its poll. */
    public interface PartitionListener {
        /** The partitions are this consumer's now; called after Camel's own handling. */
        void assigned(Set<Integer> partitions);

        /** The partitions are no longer this consumer's (or were lost); called before Camel commits its offsets. */
        void revoked(Set<Integer> partitions);

        /** This listener, then {@code next}, told of every change. */
        default PartitionListener andThen(PartitionListener next) {
            PartitionListener first = this;
            return new PartitionListener() {
                @Override
                public void assigned(Set<Integer> partitions) {
                    first.assigned(partitions);
                    next.assigned(partitions);
                }

                @Override
                public void revoked(Set<Integer> partitions) {
                    first.revoked(partitions);
                    next.revoked(partitions);
                }
            };
        }
    }

    private final String watchedTopic;
    private final PartitionListener listener;

    public RebalanceAwareSubscribeAdapter(String watchedTopic, PartitionListener listener) {
        this.watchedTopic = watchedTopic;
        this.listener = listener;
    }

    @Override
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener camelListener, TopicInfo topicInfo) {
        if (topicInfo.isPattern()) {
            consumer.subscribe(topicInfo.getPattern(), camelListener);
        } else if (topicInfo.getTopics().contains(watchedTopic)) {
            consumer.subscribe(topicInfo.getTopics(), new Watching(camelListener));
        } else {
            consumer.subscribe(topicInfo.getTopics(), camelListener);
        }
    }

    private Set<Integer> watched(Collection<TopicPartition> partitions) {
        Set<Integer> numbers = new TreeSet<>();
        partitions.stream().filter(p -> p.topic().equals(watchedTopic)).forEach(p -> numbers.add(p.partition()));
        return numbers;
    }

    private final class Watching implements ConsumerRebalanceListener {
        private final ConsumerRebalanceListener camelListener;

        Watching(ConsumerRebalanceListener camelListener) {
            this.camelListener = camelListener;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            camelListener.onPartitionsAssigned(partitions);
            Set<Integer> assigned = watched(partitions);
            if (!assigned.isEmpty()) {
                listener.assigned(assigned);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            letGo(partitions);
            camelListener.onPartitionsRevoked(partitions);
        }

        /** Taken away without a revocation (this consumer was thought dead): its sagas must stop here just the same. */
        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            letGo(partitions);
            camelListener.onPartitionsLost(partitions);
        }

        private void letGo(Collection<TopicPartition> partitions) {
            Set<Integer> revoked = watched(partitions);
            if (!revoked.isEmpty()) {
                listener.revoked(revoked);
            }
        }
    }
}
