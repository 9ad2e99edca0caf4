package dev.ordersaga.app;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Makes the plain Kafka clients of this process from its settings: the cluster and its security
 * ({@link KafkaClientSettings}), and the batching settings every producer and reader shares
 * ({@code kafka.producer.*}, {@code kafka.consumer.*}).
 */
final class KafkaClients {

    private final KafkaClientSettings cluster;
    private final int lingerMillis;
    private final int maxInFlight;
    private final Duration deliveryTimeout;
    private final Duration maxBlock;
    private final int fetchMinBytes;
    private final int fetchMaxWaitMillis;
    private final Duration readTimeout;

    KafkaClients(KafkaClientSettings cluster, Settings settings) {
        this.cluster = cluster;
        this.lingerMillis = settings.integer("kafka.producer.linger-ms");
        this.maxInFlight = settings.positiveInteger("kafka.producer.max-in-flight");
        this.deliveryTimeout = settings.duration("kafka.producer.delivery-timeout");
        this.maxBlock = settings.duration("kafka.producer.max-block");
        this.fetchMinBytes = settings.positiveInteger("kafka.consumer.fetch-min-bytes");
        this.fetchMaxWaitMillis = settings.positiveInteger("kafka.consumer.fetch-max-wait-ms");
        this.readTimeout = settings.duration("recovery.read-timeout");
    }

    /** The properties every plain Kafka client starts from: the cluster and its security. */
    Map<String, Object> clientConfig() {
        return cluster.clientConfig();
    }

    /** The same security, as camel-kafka component options. */
    Map<String, String> camelComponentOptions() {
        return cluster.camelComponentOptions();
    }

    /** A reader without a group (TopicReader, TopicTail), with the consumers' fetch settings. */
    Map<String, Object> readerConfig() {
        Map<String, Object> config = cluster.clientConfig();
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, fetchMinBytes);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchMaxWaitMillis);
        return config;
    }

    /** How long reading a compacted topic back (orders, journal, ledgers) may take. */
    Duration readTimeout() {
        return readTimeout;
    }

    /** A pipelining, idempotent producer: acks from all in-sync replicas, order kept per partition. */
    KafkaProducer<String, byte[]> producer(String clientId) {
        Map<String, Object> config = new HashMap<>(cluster.clientConfig());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMillis);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, maxInFlight);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlock.toMillis());
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis() - lingerMillis);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
