package dev.ordersaga.app;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ordersaga.kafka.EmbeddedKafkaBroker;

/** Starts the in-process broker when it is asked for ({@code broker.embedded=true}) and no cluster is named. */
final class EmbeddedBrokerStart {

    private EmbeddedBrokerStart() {
    }

    /**
     * @param camelStopped counted down once Camel has stopped: the broker must outlive Camel's consumers and producers
     * @return the broker's bootstrap servers
     */
    static String start(Settings settings, Resources resources, CountDownLatch camelStopped) {
        if (!settings.bool("broker.embedded")) {
            throw new IllegalStateException("No Kafka cluster: set KAFKA_BOOTSTRAP_SERVERS (kafka.bootstrap.servers), "
                    + "or broker.embedded=true to start a broker in this process (the demo profile does)");
        }
        if (!brokerOnClassPath()) {
            throw new IllegalStateException("broker.embedded=true, but this build carries no embedded broker: its jars "
                    + "are only on the demo's and the tests' class path (mvn -q compile exec:java), never in the "
                    + "production image. Point KAFKA_BOOTSTRAP_SERVERS at a Kafka cluster instead");
        }
        Path dataDir = settings.optional("broker.embedded.data-dir").map(Path::of).orElse(null);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, settings.integer("broker.embedded.port"))
                .withThreads(settings.positiveInteger("broker.embedded.network-threads"),
                        settings.positiveInteger("broker.embedded.io-threads"));
        // The broker's threads are not daemons: it is closed after Camel stops (afterStop), on a failed start
        // (OrderSagaApplication), and on SIGTERM by this hook, which waits for Camel's own shutdown hook to stop Camel
        // first.
        long waitForCamelSeconds = settings.positiveInteger("camel.main.shutdown-timeout") + 5L;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                camelStopped.await(waitForCamelSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            resources.close();
        }, "embedded-kafka-shutdown"));
        resources.closeOnStop(broker);
        return broker.start().bootstrapServers();
    }

    private static boolean brokerOnClassPath() {
        try {
            Class.forName("kafka.server.KafkaRaftServer", false, EmbeddedBrokerStart.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
