package dev.ordersaga.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.flow.FlowCatalog;
import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.kafka.RebalanceAwareSubscribeAdapter.PartitionListener;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.messaging.ReplyCorrelator;
import dev.ordersaga.orders.OrderBook;
import dev.ordersaga.orders.SagaProgress;
import dev.ordersaga.saga.OrderSagaService;
import dev.ordersaga.saga.SagaFlow;
import dev.ordersaga.saga.SagaOwnership;
import dev.ordersaga.saga.SagaRecord;
import dev.ordersaga.saga.UnknownFlowSagas;

/**
 * Runs the sagas of the partitions the orchestrator's consumer group gives this replica, and only those.
 * <ul>
 * <li>A new order of an owned partition, placed on any replica, starts its saga here as soon as it is read.</li>
 * <li>When partitions are assigned (at start-up, or taken over from a replica that left or died), every order of
 * theirs that a crash or a hand-over left unfinished is driven on: forward recovery. A saga that was running, or had
 * not begun, runs again under the same saga id, so every command is sent again with the same correlation id and the
 * idempotent participants answer what they answered before; a saga that was compensating or completing goes on
 * doing so ({@link OrderSagaService#recover}).</li>
 * <li>When partitions are revoked, their sagas stop here at once, without another write, and what this replica
 * wrote for them is flushed to Kafka before the next owner reads it.</li>
 * <li>Every saga runs, and runs again, under the flow version its order was placed with; one whose version this
 * replica does not know is left for a replica that knows it ({@link UnknownFlowSagas}).</li>
 * </ul>
 */
final class AssignedSagas implements PartitionListener, OrderBook.PlacedOrderListener {

    private static final Logger LOG = LoggerFactory.getLogger(AssignedSagas.class);

    private final OrderBook orders;
    private final SagaProgress progress;
    private final OrderSagaService sagas;
    private final SagaOwnership ownership;
    private final ReplyCorrelator correlator;
    private final FlowCatalog flows;
    private final FlowVersion unversioned;
    private final UnknownFlowSagas unknownFlows;
    private final Runnable flushWrites;
    private final Duration catchUpTimeout;
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private volatile ProducerTemplate template;

    /**
     * @param unversioned the flow version of orders placed before flows had versions
     */
    AssignedSagas(OrderBook orders, SagaProgress progress, OrderSagaService sagas, SagaOwnership ownership,
                  ReplyCorrelator correlator, FlowCatalog flows, FlowVersion unversioned, UnknownFlowSagas unknownFlows,
                  Runnable flushWrites, Duration catchUpTimeout) {
        this.orders = orders;
        this.progress = progress;
        this.sagas = sagas;
        this.ownership = ownership;
        this.correlator = correlator;
        this.flows = flows;
        this.unversioned = unversioned;
        this.unknownFlows = unknownFlows;
        this.flushWrites = flushWrites;
        this.catchUpTimeout = catchUpTimeout;
    }

    /** Sagas start once Camel runs every route (a saga needs its routes and the reply consumer). */
    void startWith(ProducerTemplate sagaStarter) {
        this.template = sagaStarter;
    }

    @Override
    public void placed(String orderId) {
        if (ownership.drives(orderId)) {
            start(orderId);
        }
    }

    @Override
    public void assigned(Set<Integer> partitions) {
        long began = System.nanoTime();
        ownership.assign(partitions);
        awaitOrdersReadUpTo(partitions);
        Map<String, SagaRecord> journalled = sagas.recover(partitions, flows::knows, this::start, unknownFlows::leave);
        journalled.values().stream().filter(record -> record.state().isFailed())
                .filter(record -> record.flow() == null || flows.knows(record.flow()))
                .forEach(record -> progress.sagaEnded(record.sagaId(),
                        record.state() == SagaRecord.SagaState.COMPENSATION_FAILED,
                        record.state() == SagaRecord.SagaState.COMPLETION_FAILED));
        partitions.forEach(ownership::recovered);
        // orders read before the partitions were recovered did not start: those are started now (an order read
        // since then started when it was read, and start() does not start a saga twice)
        Predicate<String> inPartitions = orderId -> partitions.contains(ownership.partitionOf(orderId));
        List<String> neverBegun = orders.unfinished(inPartitions.and(orderId -> !journalled.containsKey(orderId)));
        neverBegun.forEach(this::start);
        LOG.info("Took over partition(s) {} in {} ms: {} saga(s) in the journal, {} order(s) accepted but never begun",
                partitions, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), journalled.size(),
                neverBegun.size());
    }

    @Override
    public void revoked(Set<Integer> partitions) {
        ownership.revoke(partitions);
        Predicate<String> inPartitions = sagaId -> partitions.contains(ownership.partitionOf(sagaId));
        int released = sagas.release(partitions);
        correlator.handOver(inPartitions);
        started.removeIf(inPartitions);
        unknownFlows.release(inPartitions);
        flushWrites.run();
        LOG.info("Handed over partition(s) {}: {} saga(s) in flight stopped here, for their next owner to resume",
                partitions, released);
    }

    /** The saga of this order has ended here. */
    void ended(String orderId) {
        started.remove(orderId);
    }

    /** Starts the saga of an unfinished order under its flow version, unless it was started here already. */
    private void start(String orderId) {
        if (!orders.isUnfinished(orderId) || sagas.isRunning(orderId)) {
            return;
        }
        FlowVersion flow = orders.flowOf(orderId).orElse(unversioned);
        if (!flows.knows(flow)) {
            unknownFlows.leave(orderId, flow);
            return;
        }
        if (!started.add(orderId)) {
            return;
        }
        orders.order(orderId).ifPresentOrElse(
                order -> template.asyncSend(SagaFlow.startUri(flow), exchange -> {
                    exchange.getMessage().setHeader(MessageHeaders.ORDER_ID, orderId);
                    exchange.getMessage().setBody(order);
                }),
                () -> LOG.error("Saga {} cannot run: its order is not in the order store", orderId));
    }

    /** The orders of these partitions written before they were assigned (by their previous owner too) are read. */
    private void awaitOrdersReadUpTo(Set<Integer> partitions) {
        try {
            orders.caughtUp(partitions).get(catchUpTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Orders of partition(s) {} not read up to date within {}; recovering with what was read",
                    partitions, catchUpTimeout);
        }
    }
}
