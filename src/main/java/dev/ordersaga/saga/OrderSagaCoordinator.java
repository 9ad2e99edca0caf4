package dev.ordersaga.saga;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.saga.CamelSagaCoordinator;
import org.apache.camel.saga.CamelSagaStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.messaging.SagaMdc;
import dev.ordersaga.saga.SagaListener.SagaOutcome;
import dev.ordersaga.saga.SagaRecord.EnlistedStep;
import dev.ordersaga.saga.SagaRecord.SagaState;
import dev.ordersaga.trace.TraceMdc;

/**
 * One saga: the steps it enlisted, and the one transition that ends it. A saga ends once, by completion or by
 * compensation (asked for by the route, or by its timeout). Compensation calls each enlisted step's compensation
 * endpoint in reverse order of enlistment, completion each completion endpoint; a call that fails is retried with
 * backoff per {@link FinalizeRetryPolicy}, and a step whose calls all fail does not stop the others.
 * <p>
 * Every change is written to the {@link SagaJournal} before what it covers is done: a step is enlisted durably
 * before its command is sent, and the decision to compensate or complete is durable before the first endpoint call.
 */
final class OrderSagaCoordinator implements CamelSagaCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(OrderSagaCoordinator.class);

    /** ABANDONED: its partition went to another replica, which drives it from its journal record. */
    private enum Status { RUNNING, COMPENSATING, COMPLETING, ENDED, ABANDONED }

    private final String sagaId;
    private final OrderSagaService service;
    private final List<Enlistment> enlistments = new ArrayList<>();
    private final List<ScheduledFuture<?>> timeouts = new ArrayList<>();
    /** The operator actions carried out on this saga, named in each of its journal records from then on. */
    private final List<String> operatorActions = new ArrayList<>();
    private final Instant startedAt;
    private Status status = Status.RUNNING;
    /** Whether the journal has a record of this saga (a restored saga has one). */
    private boolean journalled;
    /** The flow version the saga began under: named by the options of its own step, its first enlistment. */
    private FlowVersion flow;
    /** The parallel groups some but not all of whose steps have begun, by name. */
    private final Map<String, GroupEnlistment> beginningGroups = new HashMap<>();

    OrderSagaCoordinator(String sagaId, OrderSagaService service) {
        this.sagaId = sagaId;
        this.service = service;
        this.startedAt = service.clock().instant();
    }

    Instant startedAt() {
        return startedAt;
    }

    /** A saga read back from the journal, with its steps enlisted, ready to be compensated or completed. */
    static OrderSagaCoordinator restore(SagaRecord record, OrderSagaService service, CamelContext camel) {
        OrderSagaCoordinator coordinator = new OrderSagaCoordinator(record.sagaId(), service);
        coordinator.journalled = true;
        coordinator.flow = record.flow();
        coordinator.operatorActions.addAll(record.operatorActions());
        for (EnlistedStep step : record.steps()) {
            CamelSagaStep sagaStep = new CamelSagaStep(endpoint(camel, step.compensationUri()),
                    endpoint(camel, step.completionUri()), Map.of(), null);
            coordinator.enlistments.add(new Enlistment(sagaStep, new HashMap<>(step.options())));
        }
        return coordinator;
    }

    @Override
    public String getId() {
        return sagaId;
    }

    @Override
    public CompletableFuture<Void> beginStep(Exchange exchange, CamelSagaStep step) {
        Map<String, Object> optionValues = new HashMap<>();
        for (Map.Entry<String, Expression> option : step.getOptions().entrySet()) {
            Object value = option.getValue().evaluate(exchange, Object.class);
            if (value != null) {
                optionValues.put(option.getKey(), value);
            }
        }
        // the group is how the step is journalled, not what it is: journal records and their comparison leave it out
        SagaOptions.ParallelGroup group = (SagaOptions.ParallelGroup) optionValues.remove(SagaOptions.PARALLEL_GROUP);
        synchronized (this) {
            if (status != Status.RUNNING) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("Saga " + sagaId + " cannot begin a step: it is " + status));
            }
            Enlistment enlistment = new Enlistment(step, optionValues);
            if (enlistments.stream().anyMatch(enlistment::sameStepAs)) {
                // a recovered saga running again meets the steps its earlier run enlisted: they are enlisted once
                step.getTimeoutInMilliseconds().ifPresent(millis -> timeouts.add(service.scheduler().schedule(
                        () -> timedOut(millis), millis, TimeUnit.MILLISECONDS)));
                return group == null ? CompletableFuture.completedFuture(null) : begunInGroup(group, false);
            }
            boolean sagasOwnStep = enlistments.isEmpty();
            if (sagasOwnStep) {
                flow = flowOf(optionValues);
            }
            enlistments.add(enlistment);
            step.getTimeoutInMilliseconds().ifPresent(millis -> timeouts.add(service.scheduler().schedule(
                    () -> timedOut(millis), millis, TimeUnit.MILLISECONDS)));
            boolean changesNothing = step.getCompensation().isEmpty() && step.getCompletion().isEmpty();
            if (group != null && !sagasOwnStep) {
                return begunInGroup(group, !changesNothing);
            }
            if (sagasOwnStep || changesNothing) {
                // nothing a recovery would need yet: the saga's own step (its completion and compensation) sends no
                // command, and is written with the first step that does; a step with nothing to undo or complete
                // (the pivot) changes nothing. A saga with no record is an accepted order never begun, which a
                // recovery runs from the start, just as one whose record shows it RUNNING
                return CompletableFuture.completedFuture(null);
            }
            return journalEnlistments();
        }
    }

    /**
     * Writes the enlistments so far, called under the lock, so that the journal sees them in the order they were
     * made. A step is recorded before its command is sent, however long Kafka takes: a write it refuses is made again
     * (with backoff, holding no thread) until it takes it; meanwhile the saga's deadline may decide it.
     */
    private CompletableFuture<Void> journalEnlistments() {
        SagaRecord record = record(SagaState.RUNNING, null);
        journalled = true;
        return service.durably(service.writeUntilDone(record, 1));
    }

    /**
     * One more step of {@code group} has begun (and is enlisted). Its command waits until every step of the group has
     * begun and one journal record holds all their enlistments: still written before any of their commands is sent,
     * for one write instead of one per step. The steps of a group begin together (a parallel multicast), so the
     * first waits for the others no longer than they take to start; should the saga end meanwhile, the waits fail.
     */
    private CompletableFuture<Void> begunInGroup(SagaOptions.ParallelGroup group, boolean needsRecord) {
        GroupEnlistment beginning = beginningGroups.computeIfAbsent(group.name(), name -> new GroupEnlistment());
        beginning.begun++;
        beginning.needsRecord |= needsRecord;
        if (beginning.begun < group.steps()) {
            return beginning.written;
        }
        beginningGroups.remove(group.name());
        if (!beginning.needsRecord) {
            beginning.written.complete(null);
            return beginning.written;
        }
        journalEnlistments().whenComplete((written, error) -> {
            if (error != null) {
                beginning.written.completeExceptionally(error);
            } else {
                beginning.written.complete(null);
            }
        });
        return beginning.written;
    }

    /** Called under the lock when the saga stops running: the steps still waiting for their group fail. */
    private void failBeginningGroups(Status now) {
        beginningGroups.values().forEach(group -> group.written.completeExceptionally(now == Status.ABANDONED
                ? new SagaHandedOverException(sagaId)
                : new IllegalStateException("Saga " + sagaId + " is " + now + " before its parallel steps began")));
        beginningGroups.clear();
    }

    @Override
    public CompletableFuture<Void> compensate(Exchange exchange) {
        Exception cause = exchange.getException();
        String reason = service.reasons().failed(cause);
        logged(() -> LOG.info("Saga {} failed ({}): {}", sagaId, reason, cause == null ? "compensated by its route"
                : cause.getMessage()));
        return compensate(reason);
    }

    /** The retry this saga is restored for is the operator action {@code actionId}: its journal records name it. */
    synchronized void carryingOut(String actionId) {
        operatorActions.add(actionId);
    }

    synchronized boolean hasCarriedOut(String actionId) {
        return operatorActions.contains(actionId);
    }

    /** Whether the saga still runs its steps: it has not been decided, nor handed over. */
    synchronized boolean isRunning() {
        return status == Status.RUNNING;
    }

    @Override
    public CompletableFuture<Void> complete(Exchange exchange) {
        return complete();
    }

    CompletableFuture<Void> compensate(String reason) {
        List<Enlistment> steps = end(Status.COMPENSATING);
        if (steps == null) {
            return alreadyEnding(Status.COMPENSATING);
        }
        service.traces().decided(sagaId, SagaState.COMPENSATING, reason);
        logged(() -> LOG.info("Saga {} compensating: {}", sagaId, reason));
        return journalled(SagaState.COMPENSATING, reason)
                .thenCompose(ignored -> finalizeSteps(steps, CamelSagaStep::getCompensation, "compensation", reason))
                .thenCompose(allDone -> ended(allDone ? SagaOutcome.COMPENSATED : SagaOutcome.COMPENSATION_FAILED,
                        reason));
    }

    CompletableFuture<Void> complete() {
        List<Enlistment> steps = end(Status.COMPLETING);
        if (steps == null) {
            return alreadyEnding(Status.COMPLETING);
        }
        service.traces().decided(sagaId, SagaState.COMPLETING, null);
        return journalled(SagaState.COMPLETING, null)
                .thenCompose(ignored -> finalizeSteps(steps, CamelSagaStep::getCompletion, "completion", null))
                .thenCompose(allDone -> ended(allDone ? SagaOutcome.COMPLETED : SagaOutcome.COMPLETION_FAILED, null));
    }

    /** Stops driving this saga: no timer fires, no endpoint is called, nothing is written from now on. */
    synchronized void abandon() {
        status = Status.ABANDONED;
        failBeginningGroups(status);
        timeouts.forEach(t -> t.cancel(false));
        timeouts.clear();
    }

    private synchronized boolean abandoned() {
        return status == Status.ABANDONED;
    }

    private void timedOut(long afterMillis) {
        logged(() -> LOG.info("Saga {} did not end within its {} ms", sagaId, afterMillis));
        compensate(service.reasons().timedOut()).exceptionally(error -> {
            if (abandoned()) {
                return null;
            }
            logged(() -> LOG.error("Saga {} timed out and could not be compensated", sagaId, error));
            return null;
        });
    }

    /**
     * Writes the decision before acting on it, retrying while Kafka is away: an undo sent for a saga the journal
     * still shows RUNNING would, after a crash, be followed by a forward run that finds its steps answered SUCCESS.
     */
    private CompletableFuture<Void> journalled(SagaState state, String reason) {
        SagaRecord record;
        synchronized (this) {
            record = record(state, reason);
        }
        return service.durably(service.writeUntilDone(record, 1));
    }

    /** Moves RUNNING to {@code next} and returns the steps to finalize, or null when the saga was no longer running. */
    private synchronized List<Enlistment> end(Status next) {
        if (status != Status.RUNNING) {
            return null;
        }
        status = next;
        failBeginningGroups(next);
        timeouts.forEach(t -> t.cancel(false));
        timeouts.clear();
        List<Enlistment> reversed = new ArrayList<>(enlistments);
        Collections.reverse(reversed);
        return reversed;
    }

    private synchronized CompletableFuture<Void> alreadyEnding(Status wanted) {
        if (status == Status.ABANDONED) {
            return CompletableFuture.failedFuture(new SagaHandedOverException(sagaId));
        }
        if (status == wanted || status == Status.ENDED) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.failedFuture(
                new IllegalStateException("Saga " + sagaId + " cannot turn to " + wanted + ": it is " + status));
    }

    private CompletableFuture<Void> ended(SagaOutcome outcome, String reason) {
        SagaRecord failedRecord = null;
        synchronized (this) {
            if (status == Status.ABANDONED) {
                return CompletableFuture.failedFuture(new SagaHandedOverException(sagaId));
            }
            status = Status.ENDED;
            if (outcome == SagaOutcome.COMPENSATION_FAILED) {
                failedRecord = record(SagaState.COMPENSATION_FAILED, reason);
            } else if (outcome == SagaOutcome.COMPLETION_FAILED) {
                failedRecord = record(SagaState.COMPLETION_FAILED, reason);
            }
        }
        CompletableFuture<Void> recorded;
        if (failedRecord != null) {
            logged(() -> LOG.error("Saga {} ended {}: a step could not be finalized after {} attempts; kept for a retry",
                    sagaId, outcome, service.retryPolicy().maxAttempts()));
            recorded = service.write(failedRecord);
        } else {
            recorded = service.forget(sagaId);
        }
        SagaRecord kept = failedRecord;
        if (kept == null) {
            // shown as ended at once, while the journal forgets it: should the tombstone be lost in a crash, the
            // saga is completed (or compensated) once more at the next recovery, which changes nothing, since every
            // command it sends again is answered from the participants' memory
            service.ended(this, outcome, null);
        }
        return service.durably(recorded).handle((ignored, error) -> {
            if (error != null) {
                logged(() -> LOG.warn("Saga {} ended {} but the journal could not record it: {}", sagaId, outcome,
                        error.getMessage()));
            }
            if (kept != null) {
                service.ended(this, outcome, kept);
            }
            return null;
        });
    }

    /** Calls the endpoints one after the other; completes with whether every call eventually succeeded. */
    private CompletableFuture<Boolean> finalizeSteps(
            List<Enlistment> steps, Function<CamelSagaStep, Optional<Endpoint>> endpointOf, String what,
            String reason) {
        CompletableFuture<Boolean> allDone = CompletableFuture.completedFuture(true);
        for (Enlistment enlistment : steps) {
            Optional<Endpoint> endpoint = endpointOf.apply(enlistment.step);
            if (endpoint.isPresent()) {
                allDone = allDone.thenCompose(doneSoFar -> callWithRetries(endpoint.get(), enlistment, what, reason, 1)
                        .thenApply(done -> doneSoFar && done));
            }
        }
        return allDone;
    }

    private CompletableFuture<Boolean> callWithRetries(
            Endpoint endpoint, Enlistment enlistment, String what, String reason, int attempt) {
        if (abandoned()) {
            return CompletableFuture.failedFuture(new SagaHandedOverException(sagaId));
        }
        Exchange exchange = endpoint.createExchange();
        exchange.getMessage().setHeader(Exchange.SAGA_LONG_RUNNING_ACTION, sagaId);
        enlistment.optionValues.forEach(exchange.getMessage()::setHeader);
        if (reason != null) {
            exchange.getMessage().setHeader(MessageHeaders.COMPENSATION_REASON, reason);
        }
        String traceId = service.traces().traceId(sagaId);
        if (traceId != null) {
            // for the log lines of the compensation and completion routes (RouteLogMdc puts it into the MDC)
            exchange.getMessage().setHeader(TraceMdc.TRACE_ID, traceId);
        }
        return service.template().asyncSend(endpoint, exchange)
                .handle((result, error) -> error != null ? error : result.getException())
                .thenCompose(failure -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(true);
                    }
                    FinalizeRetryPolicy policy = service.retryPolicy();
                    logged(() -> LOG.warn("Saga {} {} at {} failed (attempt {} of {}): {}", sagaId, what,
                            endpoint.getEndpointUri(), attempt, policy.maxAttempts(), failure.getMessage()));
                    if (attempt >= policy.maxAttempts()) {
                        return CompletableFuture.completedFuture(false);
                    }
                    CompletableFuture<Boolean> retried = new CompletableFuture<>();
                    service.scheduler().schedule(
                            () -> callWithRetries(endpoint, enlistment, what, reason, attempt + 1)
                                    .whenComplete((done, e) -> retried.complete(e == null && done)),
                            policy.delayAfter(attempt).toMillis(), TimeUnit.MILLISECONDS);
                    return retried;
                });
    }

    /** The journal record of the saga as it stands; call holding the lock. */
    private SagaRecord record(SagaState state, String reason) {
        List<EnlistedStep> steps = new ArrayList<>(enlistments.size());
        for (Enlistment enlistment : enlistments) {
            steps.add(new EnlistedStep(uriOf(enlistment.step.getCompensation()), uriOf(enlistment.step.getCompletion()),
                    Enlistment.asText(enlistment.optionValues)));
        }
        return new SagaRecord(sagaId, flow, state, reason, steps, service.clock().instant(),
                List.copyOf(operatorActions));
    }

    private static FlowVersion flowOf(Map<String, Object> options) {
        Object name = options.get(SagaOptions.FLOW);
        Object version = options.get(SagaOptions.FLOW_VERSION);
        return name == null || version == null ? null
                : new FlowVersion(name.toString(), Integer.parseInt(version.toString()));
    }

    private static String uriOf(Optional<Endpoint> endpoint) {
        return endpoint.map(Endpoint::getEndpointUri).orElse(null);
    }

    private static Endpoint endpoint(CamelContext camel, String uri) {
        return uri == null ? null : camel.getEndpoint(uri);
    }

    /** The steps of one parallel group begun so far, and the write of the record that enlists them all. */
    private static final class GroupEnlistment {
        private final CompletableFuture<Void> written = new CompletableFuture<>();
        private int begun;
        private boolean needsRecord;
    }

    private record Enlistment(CamelSagaStep step, Map<String, Object> optionValues) {

        /** Same endpoints, same option values: the same step of the same saga. */
        boolean sameStepAs(Enlistment other) {
            return Objects.equals(uriOf(step.getCompensation()), uriOf(other.step.getCompensation()))
                    && Objects.equals(uriOf(step.getCompletion()), uriOf(other.step.getCompletion()))
                    && Objects.equals(asText(optionValues), asText(other.optionValues));
        }

        private static Map<String, String> asText(Map<String, Object> values) {
            Map<String, String> text = new HashMap<>();
            values.forEach((key, value) -> text.put(key, String.valueOf(value)));
            return text;
        }
    }

    /**
     * Logs with this saga's order id and trace id in the MDC: these lines are written on timer and continuation
     * threads.
     */
    private void logged(Runnable logLine) {
        try (SagaMdc ids = SagaMdc.forSaga(sagaId); TraceMdc trace = service.traces().mdc(sagaId)) {
            logLine.run();
        }
    }
}
