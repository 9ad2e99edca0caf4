package dev.ordersaga.saga;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.messaging.SagaMdc;

/**
 * The sagas of this replica's partitions that it leaves alone because they began under a flow version it does not
 * know (a newer replica started them, and the partition came back here, as in a rollback or the middle of a rolling
 * deploy). A saga is never run under another flow than its own: it waits, reported (health, metric, log), for a
 * replica that knows its version to be given its partition.
 */
public final class UnknownFlowSagas {

    private static final Logger LOG = LoggerFactory.getLogger(UnknownFlowSagas.class);

    private final Map<String, FlowVersion> left = new ConcurrentHashMap<>();

    /** The saga is left for a replica that knows its flow version. */
    public void leave(String sagaId, FlowVersion flow) {
        if (left.put(sagaId, flow) == null) {
            try (SagaMdc ignored = SagaMdc.forSaga(sagaId)) {
                LOG.warn("Saga {} runs under flow {}, which this replica does not know: left for a replica that "
                        + "knows it", sagaId, flow);
            }
        }
    }

    /** These sagas' partitions went to another replica: they are its to drive, or to leave. */
    public void release(Predicate<String> sagaIds) {
        left.keySet().removeIf(sagaIds);
    }

    /** How many sagas are left here, by flow version. */
    public Map<FlowVersion, Long> byFlow() {
        return left.values().stream().collect(Collectors.groupingBy(flow -> flow,
                () -> new TreeMap<>(Comparator.comparing(FlowVersion::name).thenComparingInt(FlowVersion::version)),
                Collectors.counting()));
    }

    public int count() {
        return left.size();
    }
}
