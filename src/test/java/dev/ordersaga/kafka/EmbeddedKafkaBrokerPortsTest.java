package dev.ordersaga.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * The broker's listeners are sockets it binds before the node starts: a port it chose cannot be taken before Kafka
 * listens on it (a port merely found free can be: the likeliest cause of one CI failure whose log kept no cause), and
 * a port it was given that is taken fails the start with a message naming it, without halting the JVM.
 */
class EmbeddedKafkaBrokerPortsTest {

    @Test
    void aBrokerOnAPortOfItsOwnChoosingAnswersThere() throws Exception {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(null, 0);
        assertThatThrownBy(broker::bootstrapServers).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start it first");
        try (broker) {
            broker.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }
        }
    }

    @Test
    void aGivenPortThatIsTakenFailsTheStartNamingThePortAndLeavesNoData() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(null, taken.getLocalPort());
            assertThat(broker.dataDir()).exists();
            assertThatThrownBy(broker::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + taken.getLocalPort())
                    .hasMessageContaining("Address already in use");
            assertThat(broker.dataDir()).as("the temporary data directory").doesNotExist();
        }
    }
}
