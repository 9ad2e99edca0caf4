package dev.ordersaga.saga;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.saga.CamelSagaCoordinator;
import org.apache.camel.saga.CamelSagaService;
import org.apache.camel.saga.CamelSagaStep;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The saga service behind the Saga EIP. Unlike Camel's {@code InMemorySagaService}, a saga leaves memory as soon as
 * it has ended, so the working set holds only sagas in flight; and the saga id is the id of the business key in the
 * {@code idHeader} header (the order id), so that every command of an order is correlated by a deterministic id.
 */
public final class OrderSagaService extends ServiceSupport implements CamelSagaService {

    private final Map<String, OrderSagaCoordinator> running = new ConcurrentHashMap<>();
    private final String idHeader;
    private final FinalizeRetryPolicy retryPolicy;
    private final SagaEndListener endListener;
    private CamelContext camelContext;
    private ScheduledExecutorService scheduler;
    private ProducerTemplate template;

    public OrderSagaService(String idHeader, FinalizeRetryPolicy retryPolicy, SagaEndListener endListener) {
        this.idHeader = idHeader;
        this.retryPolicy = retryPolicy;
        this.endListener = endListener;
    }

    @Override
    public CompletableFuture<CamelSagaCoordinator> newSaga(Exchange exchange) {
        String sagaId = exchange.getMessage().getHeader(idHeader, String.class);
        if (sagaId == null) {
            sagaId = UUID.randomUUID().toString();
        }
        OrderSagaCoordinator coordinator = new OrderSagaCoordinator(sagaId, this);
        if (running.putIfAbsent(sagaId, coordinator) != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Saga " + sagaId + " is already running"));
        }
        return CompletableFuture.completedFuture(coordinator);
    }

    @Override
    public CompletableFuture<CamelSagaCoordinator> getSaga(String sagaId) {
        return CompletableFuture.completedFuture(running.get(sagaId));
    }

    @Override
    public void registerStep(CamelSagaStep step) {
        // steps need no registration: their endpoints travel with each enlistment
    }

    /** How many sagas are in memory now: only those that have not ended. */
    public int runningCount() {
        return running.size();
    }

    void ended(OrderSagaCoordinator coordinator, SagaEndListener.SagaOutcome outcome) {
        running.remove(coordinator.getId(), coordinator);
        endListener.sagaEnded(coordinator.getId(), outcome);
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

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    protected void doStart() {
        scheduler = camelContext.getExecutorServiceManager().newScheduledThreadPool(this, "saga-timer", 1);
        template = camelContext.createProducerTemplate();
    }

    @Override
    protected void doStop() throws Exception {
        if (template != null) {
            template.stop();
        }
        if (scheduler != null) {
            camelContext.getExecutorServiceManager().shutdown(scheduler);
        }
    }
}
