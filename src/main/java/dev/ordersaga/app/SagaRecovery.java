package dev.ordersaga.app;

import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.domain.OrderViews;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.saga.OrderSagaService;
import dev.ordersaga.saga.SagaRecord;

/**
 * At start-up, drives to an end every order a crash left unfinished. Forward recovery: an order whose saga was
 * running, or had not begun, runs its saga again under the same saga id, so every command is sent again with the
 * same correlation id and the idempotent participants answer what they answered before. A saga that was
 * compensating or completing goes on doing so ({@link OrderSagaService#recover}).
 */
final class SagaRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(SagaRecovery.class);
    private static final String ORDER_SAGA = "direct:run-order-saga";

    private final CamelContext camel;
    private final OrderViews orders;
    private final OrderSagaService sagas;

    SagaRecovery(CamelContext camel, OrderViews orders, OrderSagaService sagas) {
        this.camel = camel;
        this.orders = orders;
        this.sagas = sagas;
    }

    void recover() {
        ProducerTemplate template = camel.createProducerTemplate();
        List<String> unfinished = orders.unfinished();
        Map<String, SagaRecord> journalled = sagas.recover(orderId -> runAgain(template, orderId));
        journalled.values().stream().filter(record -> record.state().isFailed()).forEach(record ->
                orders.sagaEnded(record.sagaId(), record.state() == SagaRecord.SagaState.COMPENSATION_FAILED));
        List<String> neverBegun = unfinished.stream().filter(orderId -> !journalled.containsKey(orderId)).toList();
        neverBegun.forEach(orderId -> runAgain(template, orderId));
        LOG.info("Recovery: {} unfinished order(s); {} saga(s) in the journal; {} accepted but never begun",
                unfinished.size(), journalled.size(), neverBegun.size());
    }

    private void runAgain(ProducerTemplate template, String orderId) {
        orders.order(orderId).ifPresentOrElse(
                order -> template.asyncSend(ORDER_SAGA, exchange -> {
                    exchange.getMessage().setHeader(MessageHeaders.ORDER_ID, orderId);
                    exchange.getMessage().setBody(order);
                }),
                () -> LOG.error("Saga {} cannot run again: its order is not in the order store", orderId));
    }
}
