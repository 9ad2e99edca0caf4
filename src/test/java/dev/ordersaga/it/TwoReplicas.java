package dev.ordersaga.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.ordersaga.app.OrderSagaApplication;
import dev.ordersaga.kafka.EmbeddedKafkaBroker;
import dev.ordersaga.testsupport.FreePort;

/**
 * Two orchestrator replicas on one real broker, the reference participants running in the first, ready once the
 * topics' partitions are split between them: what the tests of several replicas in one JVM start. Each replica has
 * its API and management server on free ports, management without credentials, and stock enough of BOOK-42.
 */
final class TwoReplicas implements AutoCloseable {

    private static final Duration PARTITIONS_SPLIT = Duration.ofSeconds(30);

    private final EmbeddedKafkaBroker broker;
    private final int partitions;
    private final Map<String, String> settings;
    private OrderSagaApplication first;
    private OrderSagaApplication second;
    private ApiClient firstApi;
    private ApiClient secondApi;
    private ManagementClient firstManagement;
    private ManagementClient secondManagement;

    private TwoReplicas(int partitions, Map<String, String> settings) {
        this.broker = new EmbeddedKafkaBroker(null, 0);
        this.partitions = partitions;
        this.settings = settings;
    }

    /** @param settings what both replicas set beyond the fixture's own (timeouts, exporters, ...) */
    static TwoReplicas start(int partitions, Map<String, String> settings) throws Exception {
        TwoReplicas replicas = new TwoReplicas(partitions, settings);
        try {
            replicas.startAll();
        } catch (Exception | Error e) {
            replicas.close();
            throw e;
        }
        return replicas;
    }

    private void startAll() throws Exception {
        broker.start();
        int firstPort = FreePort.next();
        int secondPort = FreePort.next();
        int firstManagementPort = FreePort.next();
        int secondManagementPort = FreePort.next();
        first = replica("orchestrator-a", firstPort, firstManagementPort, true);
        second = replica("orchestrator-b", secondPort, secondManagementPort, false);
        firstApi = new ApiClient("http://127.0.0.1:" + firstPort);
        secondApi = new ApiClient("http://127.0.0.1:" + secondPort);
        firstManagement = new ManagementClient("http://127.0.0.1:" + firstManagementPort);
        secondManagement = new ManagementClient("http://127.0.0.1:" + secondManagementPort);
        await().atMost(PARTITIONS_SPLIT).until(() -> first.ownership().ownedCount() > 0
                && second.ownership().ownedCount() > 0
                && first.ownership().ownedCount() + second.ownership().ownedCount() == partitions);
    }

    private OrderSagaApplication replica(String instanceId, int apiPort, int managementPort, boolean withParticipants)
            throws Exception {
        Map<String, String> replicaSettings = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "api.port", Integer.toString(apiPort),
                "management.port", Integer.toString(managementPort),
                "management.auth.enabled", "false",
                "orchestrator.instance-id", instanceId,
                "participants.inventory.stock", "BOOK-42:10000:12.50",
                "topics.partitions", Integer.toString(partitions)));
        replicaSettings.putAll(settings);
        return OrderSagaApplication.create(withParticipants ? "demo" : "orchestrator", replicaSettings).start();
    }

    OrderSagaApplication first() {
        return first;
    }

    OrderSagaApplication second() {
        return second;
    }

    ApiClient firstApi() {
        return firstApi;
    }

    ApiClient secondApi() {
        return secondApi;
    }

    ManagementClient firstManagement() {
        return firstManagement;
    }

    ManagementClient secondManagement() {
        return secondManagement;
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Stops the second replica, then the first (either may be stopped already), then the broker. */
    @Override
    public void close() throws Exception {
        for (OrderSagaApplication app : new OrderSagaApplication[] {second, first}) {
            if (app != null) {
                app.stop();
            }
        }
        broker.close();
    }
}
