package dev.ordersaga.operator;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.ordersaga.json.Json;
import dev.ordersaga.kafka.Sends;

/**
 * Where any replica writes the operator actions it takes: the operator-action topic ({@code topics.operator-actions}),
 * keyed by order id, so that an action lands in its order's partition number and reaches the replica that owns it.
 */
public final class OperatorActionLog {

    private final Producer<String, byte[]> producer;
    private final String topic;

    public OperatorActionLog(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** Completes once the broker has the action (acks from all in-sync replicas). */
    public CompletableFuture<Void> record(OperatorAction action) {
        return Sends.acknowledged(producer, new ProducerRecord<>(topic, action.orderId(), Json.write(action)));
    }

    public String topic() {
        return topic;
    }
}
