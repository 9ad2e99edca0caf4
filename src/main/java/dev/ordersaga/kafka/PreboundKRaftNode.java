package dev.ordersaga.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.network.SocketServerConfigs;
import org.apache.kafka.raft.QuorumConfig;
import org.apache.kafka.server.ServerSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.Server$;
import kafka.server.SharedServer;
import kafka.server.StandardFaultHandlerFactory;

/**
 * One combined KRaft broker and controller, assembled the way Kafka's {@code KafkaRaftServer} assembles it, except that
 * its listeners are sockets bound before the node starts. A port merely found free and bound later can be taken in
 * between (a client's outgoing connection draws its local port from the same ephemeral range), and a controller that
 * cannot bind halts the JVM; a socket bound here first cannot be taken. Kafka's own cluster test kit does the same.
 */
final class PreboundKRaftNode {

    private static final Logger LOG = LoggerFactory.getLogger(PreboundKRaftNode.class);

    private final Map<Integer, ServerSocketChannel> unclaimed;
    private final BrokerServer broker;
    private final ControllerServer controller;

    /** @param boundByPort the listeners' sockets, by port: each is handed to the listener of that port */
    PreboundKRaftNode(KafkaConfig config, Map<Integer, ServerSocketChannel> boundByPort) {
        this.unclaimed = new ConcurrentHashMap<>(boundByPort);
        var logDirs = KafkaRaftServer.initializeLogDirs(config, LOG, "");
        MetaPropertiesEnsemble metaProperties = logDirs._1();
        BootstrapMetadata bootstrapMetadata = logDirs._2();
        Metrics metrics = Server$.MODULE$.initializeMetrics(config, Time.SYSTEM, metaProperties.clusterId().get());
        SharedServer shared = new SharedServer(config, metaProperties, Time.SYSTEM, metrics,
                CompletableFuture.completedFuture(QuorumConfig.parseVoterConnections(config.quorumConfig().voters())),
                QuorumConfig.parseBootstrapServers(config.quorumConfig().bootstrapServers()),
                new StandardFaultHandlerFactory(), this::claim);
        this.broker = new BrokerServer(shared);
        this.controller = new ControllerServer(shared, KafkaRaftServer.configSchema(), bootstrapMetadata);
    }

    /** A socket for a listener, bound now: on a free port for 0, else on that port (failing if it is taken). */
    static ServerSocketChannel bind(String host, int port) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.socket().setReceiveBufferSize(SocketServerConfigs.SOCKET_RECEIVE_BUFFER_BYTES_DEFAULT);
            channel.socket().bind(new InetSocketAddress(host, port),
                    SocketServerConfigs.SOCKET_LISTEN_BACKLOG_SIZE_DEFAULT);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw new IOException("port " + port + " on " + host + " cannot be bound: " + e.getMessage(), e);
        }
    }

    void startup() {
        controller.startup();
        broker.startup();
    }

    void shutdown() {
        try {
            broker.shutdown();
            controller.shutdown();
            broker.awaitShutdown();
            controller.awaitShutdown();
        } finally {
            closeUnclaimed();
        }
    }

    private ServerSocketChannel claim(String listenerName, InetSocketAddress address, int backlog, int receiveBuffer)
            throws IOException {
        ServerSocketChannel bound = unclaimed.remove(address.getPort());
        return bound != null ? bound : ServerSocketFactory.INSTANCE.openServerSocket(listenerName, address, backlog,
                receiveBuffer);
    }

    private void closeUnclaimed() {
        unclaimed.values().forEach(PreboundKRaftNode::closeQuietly);
        unclaimed.clear();
    }

    /** A listener socket no node uses (any more); null for none. Closing one twice is harmless. */
    static void closeQuietly(ServerSocketChannel socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.warn("Could not close a listener socket of the embedded broker", e);
        }
    }
}
