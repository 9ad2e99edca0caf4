package dev.ordersaga.saga;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.saga.CamelSagaCoordinator;
import org.apache.camel.saga.CamelSagaService;
import org.apache.camel.saga.CamelSagaStep;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.messaging.SagaMdc;
import dev.ordersaga.saga.SagaRecord.SagaState;
import dev.ordersaga.trace.TraceMdc;

/**
 * The saga service behind the Saga EIP. Unlike Camel's {@code InMemorySagaService}:
 * <ul>
 * <li>every saga is written to a {@link SagaJournal} before what it covers is done, and sagas a crash left
 * unfinished are driven to an end at start-up ({@link #recover});</li>
 * <li>a saga leaves memory as soon as it has ended, so the working set holds only sagas in flight;</li>
 * <li>the saga id is the business key in the {@code idHeader} header (the order id), so every command of an order
 * has a deterministic correlation id, the same when a recovered saga sends it again;</li>
 * <li>a saga whose compensation failed every attempt is kept, in the journal and here, until it is retried;</li>
 * <li>with several replicas, it drives only the sagas of the partitions {@link SagaOwnership} assigns it: it
 * {@link #recover}s them when they are assigned and {@link #release}s them when they are revoked, and writes nothing
 * for a saga whose partition it no longer has.</li>
 * </ul>
 */
public final class OrderSagaService extends ServiceSupport implements CamelSagaService {

    private static final Logger LOG = LoggerFactory.getLogger(OrderSagaService.class);

    private final Map<String, OrderSagaCoordinator> running = new ConcurrentHashMap<>();
    private final Map<String, SagaRecord> failed = new ConcurrentHashMap<>();
    private final Map<String, SagaRecord> toRunAgain = new ConcurrentHashMap<>();
    private final String idHeader;
    private final FinalizeRetryPolicy retryPolicy;
    private final SagaJournal journal;
    private final SagaOwnership ownership;
    private final Executor continuations;
    private final SagaListener listener;
    private final SagaReasons reasons;
    private final SagaTraces traces;
    private final Clock clock;
    private CamelContext camelContext;
    private ScheduledExecutorService scheduler;
    private boolean ownScheduler;
    private ProducerTemplate template;

    /**
     * @param reasons the codes a compensated saga keeps as its reason
     * @param traces  the spans of the sagas driven here
     */
    public OrderSagaService(String idHeader, FinalizeRetryPolicy retryPolicy, SagaJournal journal,
                            SagaOwnership ownership, Executor continuations, SagaListener listener, SagaReasons reasons,
                            SagaTraces traces, Clock clock) {
        this.idHeader = idHeader;
        this.retryPolicy = retryPolicy;
        this.journal = journal;
        this.ownership = ownership;
        this.continuations = continuations;
        this.listener = listener;
        this.reasons = reasons;
        this.traces = traces;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<CamelSagaCoordinator> newSaga(Exchange exchange) {
        String sagaId = exchange.getMessage().getHeader(idHeader, String.class);
        if (sagaId == null) {
            sagaId = UUID.randomUUID().toString();
        }
        // a saga that runs again after a crash keeps the steps its earlier run enlisted, so that they are
        // compensated too if the new run fails before it reaches them
        SagaRecord earlierRun = toRunAgain.remove(sagaId);
        OrderSagaCoordinator coordinator = earlierRun == null ? new OrderSagaCoordinator(sagaId, this)
                : OrderSagaCoordinator.restore(earlierRun, this, camelContext);
        if (running.putIfAbsent(sagaId, coordinator) != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Saga " + sagaId + " is already running"));
        }
        // nothing is journalled yet: until its first step is, the saga is an accepted order "never begun", which a
        // recovery runs from the start just the same
        listener.sagaBegun(sagaId);
        traces.begin(sagaId);
        String traceId = traces.traceId(sagaId);
        if (traceId != null) {
            // for the log lines of the saga's routes (RouteLogMdc puts this header into the MDC)
            exchange.getMessage().setHeader(TraceMdc.TRACE_ID, traceId);
        }
        return CompletableFuture.completedFuture(coordinator);
    }

    /** Writes the record, again and again with backoff while the journal is unavailable; holds no thread. */
    CompletableFuture<Void> writeUntilDone(SagaRecord record, int attempt) {
        return write(record).handle((ignored, error) -> {
            if (error == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (error instanceof SagaHandedOverException || error.getCause() instanceof SagaHandedOverException) {
                return CompletableFuture.<Void>failedFuture(error);
            }
            Duration pause = retryPolicy.delayAfter(attempt);
            try (SagaMdc ids = SagaMdc.forSaga(record.sagaId())) {
                LOG.warn("Saga {} cannot record {} yet, the journal is unavailable (attempt {}; again in {} ms): {}",
                        record.sagaId(), record.state(), attempt, pause.toMillis(), error.getMessage());
            }
            CompletableFuture<Void> retried = new CompletableFuture<>();
            scheduler.schedule(() -> writeUntilDone(record, attempt + 1).whenComplete((done, e) -> {
                if (e != null) {
                    retried.completeExceptionally(e);
                } else {
                    retried.complete(null);
                }
            }), pause.toMillis(), TimeUnit.MILLISECONDS);
            return retried;
        }).thenCompose(Function.identity());
    }

    /** Writes the record if this replica still drives the saga; fails with {@link SagaHandedOverException} if not. */
    CompletableFuture<Void> write(SagaRecord record) {
        return ownership.whileAssigned(record.sagaId(), () -> journal.write(record))
                .orElseGet(() -> CompletableFuture.failedFuture(new SagaHandedOverException(record.sagaId())));
    }

    /** Forgets an ended saga in the journal, if this replica still drives it. */
    CompletableFuture<Void> forget(String sagaId) {
        return ownership.whileAssigned(sagaId, () -> journal.forget(sagaId))
                .orElseGet(() -> CompletableFuture.failedFuture(new SagaHandedOverException(sagaId)));
    }

    @Override
    public CompletableFuture<CamelSagaCoordinator> getSaga(String sagaId) {
        return CompletableFuture.completedFuture(running.get(sagaId));
    }

    @Override
    public void registerStep(CamelSagaStep step) {
        // steps need no registration: their endpoints travel with each enlistment
    }

    /**
     * Drives to an end every saga of these partitions that the journal shows unfinished, each under the flow version
     * it began under. A saga that was compensating or completing goes on doing so; a saga that was running is handed
     * to {@code runAgain}, which runs it again from the start under the same saga id: its commands carry the same
     * correlation ids, so participants answer what they answered before and apply nothing twice, and the saga
     * resumes where it stopped. Failed sagas are kept for {@link #retry}. A saga of a flow version this replica does
     * not know is handed to {@code unknownFlow} and nothing else is done with it.
     *
     * @param knownFlow whether this replica has the declaration of a flow version
     * @return the journal's records of these partitions, by saga id, as found
     */
    public Map<String, SagaRecord> recover(Set<Integer> partitions, Predicate<FlowVersion> knownFlow,
                                           Consumer<String> runAgain, BiConsumer<String, FlowVersion> unknownFlow) {
        Map<String, SagaRecord> records = journal.read(partitions);
        records.values().forEach(record -> {
            if (record.flow() != null && !knownFlow.test(record.flow())) {
                unknownFlow.accept(record.sagaId(), record.flow());
                return;
            }
            if (!record.state().isFailed()) {
                traces.recovered(record.sagaId(), record.state());
            }
            switch (record.state()) {
                case RUNNING -> {
                    toRunAgain.put(record.sagaId(), record);
                    runAgain.accept(record.sagaId());
                }
                case COMPENSATING -> resume(record, coordinator -> coordinator.compensate(record.reason()));
                case COMPLETING -> resume(record, OrderSagaCoordinator::complete);
                case COMPENSATION_FAILED, COMPLETION_FAILED -> failed.put(record.sagaId(), record);
            }
        });
        LOG.info("Saga recovery of partition(s) {}: {} saga(s) in the journal, {} kept as failed", partitions,
                records.size(), records.values().stream().filter(r -> r.state().isFailed()).count());
        return records;
    }

    /**
     * Lets go of the sagas of partitions this replica no longer has: they stop where they are, without another
     * command or write from here, for the replica that now has the partitions to recover.
     *
     * @return how many running sagas were let go
     */
    public int release(Set<Integer> partitions) {
        Predicate<String> released = sagaId -> partitions.contains(ownership.partitionOf(sagaId));
        int[] count = {0};
        running.values().removeIf(coordinator -> {
            if (released.test(coordinator.getId())) {
                coordinator.abandon();
                count[0]++;
                return true;
            }
            return false;
        });
        failed.keySet().removeIf(released);
        toRunAgain.keySet().removeIf(released);
        traces.handedOver(released);
        return count[0];
    }

    public boolean isRunning(String sagaId) {
        return running.containsKey(sagaId);
    }

    /**
     * Runs again the compensation or completion of a saga that failed every attempt, as the operator action
     * {@code operatorAction} (its id): the journal record that starts the retry names the action, so that the action,
     * should it be read again, is known to be done ({@link #hasCarriedOut}).
     *
     * @return the retry, until the saga has ended again; empty if the saga has nothing to retry here (or this action
     *         was carried out on it already)
     */
    public Optional<CompletableFuture<Void>> retry(String sagaId, String operatorAction) {
        SagaRecord record = failed.remove(sagaId);
        if (record == null) {
            return Optional.empty();
        }
        if (record.operatorActions().contains(operatorAction)) {
            failed.put(sagaId, record);
            return Optional.empty();
        }
        LOG.info("Saga {}: retrying its {} (operator action {})", sagaId, record.state(), operatorAction);
        OrderSagaCoordinator coordinator = OrderSagaCoordinator.restore(record, this, camelContext);
        coordinator.carryingOut(operatorAction);
        return Optional.of(resume(coordinator, record.state() == SagaState.COMPENSATION_FAILED
                ? saga -> saga.compensate(record.reason())
                : OrderSagaCoordinator::complete));
    }

    /**
     * Whether the operator action was carried out on this saga already: the saga's journal record, as this replica
     * knows it, names it. A retry that has since ended well leaves no record (and nothing to retry).
     */
    public boolean hasCarriedOut(String sagaId, String operatorAction) {
        SagaRecord record = failed.get(sagaId);
        OrderSagaCoordinator coordinator = running.get(sagaId);
        return record != null && record.operatorActions().contains(operatorAction)
                || coordinator != null && coordinator.hasCarriedOut(operatorAction);
    }

    /** The sagas whose compensation or completion failed every attempt, kept for a retry. */
    public Map<String, SagaRecord> failedSagas() {
        return Map.copyOf(failed);
    }

    /** How many sagas are in memory now: only those that have not ended. */
    public int runningCount() {
        return running.size();
    }

    private CompletableFuture<Void> resume(SagaRecord record,
                                           Function<OrderSagaCoordinator, CompletableFuture<Void>> finish) {
        return resume(OrderSagaCoordinator.restore(record, this, camelContext), finish);
    }

    private CompletableFuture<Void> resume(OrderSagaCoordinator coordinator,
                                           Function<OrderSagaCoordinator, CompletableFuture<Void>> finish) {
        if (running.putIfAbsent(coordinator.getId(), coordinator) != null) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("Saga " + coordinator.getId() + " is already running"));
        }
        traces.begin(coordinator.getId());
        return finish.apply(coordinator);
    }

    /** Continues off the Kafka producer's I/O thread once a journal write has completed. */
    <T> CompletableFuture<T> durably(CompletableFuture<T> journalWrite) {
        return journalWrite.whenCompleteAsync((result, error) -> { }, continuations);
    }

    void ended(OrderSagaCoordinator coordinator, SagaListener.SagaOutcome outcome, SagaRecord failedRecord) {
        running.remove(coordinator.getId(), coordinator);
        if (failedRecord != null) {
            failed.put(coordinator.getId(), failedRecord);
        }
        listener.sagaEnded(coordinator.getId(), outcome, Duration.between(coordinator.startedAt(), clock.instant()));
        traces.ended(coordinator.getId(), outcome);
    }

    SagaTraces traces() {
        return traces;
    }

    SagaReasons reasons() {
        return reasons;
    }

    /** Whether this replica drives the saga and it still runs its steps (its outcome not decided yet). */
    public boolean isDriving(String sagaId) {
        OrderSagaCoordinator coordinator = running.get(sagaId);
        return coordinator != null && coordinator.isRunning();
    }

    FinalizeRetryPolicy retryPolicy() {
        return retryPolicy;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ProducerTemplate template() {
        return template;
    }

    Clock clock() {
        return clock;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /**
     * Runs saga timeouts and the retries of completions and compensations on {@code timer} instead of a thread of
     * Camel's: a flow's tests move time on by hand. Call before the service starts.
     */
    public void useTimer(ScheduledExecutorService timer) {
        this.scheduler = timer;
    }

    @Override
    protected void doStart() {
        if (scheduler == null) {
            ownScheduler = true;
            scheduler = SagaTimers.unbounded("saga-timer");
        }
        template = camelContext.createProducerTemplate();
    }

    @Override
    protected void doStop() throws Exception {
        if (template != null) {
            template.stop();
        }
        if (scheduler != null && ownScheduler) {
            scheduler.shutdownNow();
        }
    }
}
