package dev.ordersaga.saga;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.saga.CamelSagaCoordinator;
import org.apache.camel.saga.CamelSagaStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.saga.SagaEndListener.SagaOutcome;

/**
 * One running saga: the steps it enlisted, and the one transition that ends it. A saga ends once, by completion or by
 * compensation (asked for by the route, or by its timeout). Compensation calls each enlisted step's compensation
 * endpoint in reverse order of enlistment, completion each completion endpoint; a call that fails is retried with
 * backoff per {@link FinalizeRetryPolicy}, and a step whose calls all fail does not stop the others.
 */
final class OrderSagaCoordinator implements CamelSagaCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(OrderSagaCoordinator.class);

    private enum Status { RUNNING, COMPENSATING, COMPLETING, ENDED }

    private final String sagaId;
    private final OrderSagaService service;
    private final List<Enlistment> enlistments = new ArrayList<>();
    private final List<ScheduledFuture<?>> timeouts = new ArrayList<>();
    private Status status = Status.RUNNING;

    OrderSagaCoordinator(String sagaId, OrderSagaService service) {
        this.sagaId = sagaId;
        this.service = service;
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
        synchronized (this) {
            if (status != Status.RUNNING) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("Saga " + sagaId + " cannot begin a step: it is " + status));
            }
            enlistments.add(new Enlistment(step, optionValues));
            step.getTimeoutInMilliseconds().ifPresent(millis -> timeouts.add(service.scheduler().schedule(
                    () -> timedOut(millis), millis, TimeUnit.MILLISECONDS)));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> compensate(Exchange exchange) {
        Exception cause = exchange.getException();
        return compensate(cause != null ? cause.getMessage() : "saga compensated");
    }

    @Override
    public CompletableFuture<Void> complete(Exchange exchange) {
        List<Enlistment> steps = end(Status.COMPLETING);
        if (steps == null) {
            return alreadyEnding(Status.COMPLETING);
        }
        return finalizeSteps(steps, CamelSagaStep::getCompletion, "completion", null)
                .thenAccept(allDone -> ended(allDone ? SagaOutcome.COMPLETED : SagaOutcome.COMPLETION_FAILED));
    }

    private void timedOut(long afterMillis) {
        compensate("saga timed out after " + afterMillis + " ms").exceptionally(error -> {
            LOG.error("Saga {} timed out and could not be compensated", sagaId, error);
            return null;
        });
    }

    private CompletableFuture<Void> compensate(String reason) {
        List<Enlistment> steps = end(Status.COMPENSATING);
        if (steps == null) {
            return alreadyEnding(Status.COMPENSATING);
        }
        LOG.info("Saga {} compensating: {}", sagaId, reason);
        return finalizeSteps(steps, CamelSagaStep::getCompensation, "compensation", reason)
                .thenAccept(allDone -> ended(allDone ? SagaOutcome.COMPENSATED : SagaOutcome.COMPENSATION_FAILED));
    }

    /** Moves RUNNING to {@code next} and returns the steps to finalize, or null when the saga was no longer running. */
    private synchronized List<Enlistment> end(Status next) {
        if (status != Status.RUNNING) {
            return null;
        }
        status = next;
        timeouts.forEach(t -> t.cancel(false));
        timeouts.clear();
        List<Enlistment> reversed = new ArrayList<>(enlistments);
        Collections.reverse(reversed);
        return reversed;
    }

    private synchronized CompletableFuture<Void> alreadyEnding(Status wanted) {
        if (status == wanted || status == Status.ENDED) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.failedFuture(
                new IllegalStateException("Saga " + sagaId + " cannot turn to " + wanted + ": it is " + status));
    }

    private void ended(SagaOutcome outcome) {
        synchronized (this) {
            status = Status.ENDED;
        }
        if (outcome == SagaOutcome.COMPENSATION_FAILED || outcome == SagaOutcome.COMPLETION_FAILED) {
            LOG.error("Saga {} ended {}: a step could not be finalized after {} attempts", sagaId, outcome,
                    service.retryPolicy().maxAttempts());
        }
        service.ended(this, outcome);
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
        Exchange exchange = endpoint.createExchange();
        exchange.getMessage().setHeader(Exchange.SAGA_LONG_RUNNING_ACTION, sagaId);
        enlistment.optionValues.forEach(exchange.getMessage()::setHeader);
        if (reason != null) {
            exchange.getMessage().setHeader(MessageHeaders.COMPENSATION_REASON, reason);
        }
        return service.template().asyncSend(endpoint, exchange)
                .handle((result, error) -> error != null ? error : result.getException())
                .thenCompose(failure -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(true);
            }
            FinalizeRetryPolicy policy = service.retryPolicy();
            LOG.warn("Saga {} {} at {} failed (attempt {} of {}): {}", sagaId, what, endpoint.getEndpointUri(),
                    attempt, policy.maxAttempts(), failure.getMessage());
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

    private record Enlistment(CamelSagaStep step, Map<String, Object> optionValues) {
    }
}
