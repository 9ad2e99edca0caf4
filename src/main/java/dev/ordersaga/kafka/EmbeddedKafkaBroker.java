package dev.ordersaga.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import kafka.server.KafkaConfig;

/**
 * A real single-node Kafka broker, started in this JVM: KRaft mode, combined broker and controller, replication
 * factors of 1. For the embedded default and the tests; production points at a cluster instead. Its threads are not
 * daemons, so it must be closed on every way out.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String HOST = "127.0.0.1";
    private static final int BROKER_SESSION_TIMEOUT_MS = 2_000;
    private static final int BROKER_HEARTBEAT_INTERVAL_MS = 500;

    private final Path dataDir;
    private final boolean deleteDataOnClose;
    private int port;
    private Integer networkThreads; // null: Kafka's default
    private Integer ioThreads;
    private PreboundKRaftNode server;

    /**
     * @param dataDir where the log lives; null for a fresh temporary directory, deleted on close
     * @param port the client port; 0 for any free port (chosen when the broker starts, then kept across restarts)
     */
    public EmbeddedKafkaBroker(Path dataDir, int port) {
        try {
            this.deleteDataOnClose = dataDir == null;
            this.dataDir = dataDir == null ? Files.createTempDirectory("order-saga-kafka-") : dataDir;
            this.port = port;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The broker's thread counts; without this call, Kafka's defaults.
     *
     * @param network the threads that read requests and write responses (Kafka's num.network.threads)
     * @param io the threads that handle requests (num.io.threads)
     */
    public synchronized EmbeddedKafkaBroker withThreads(int network, int io) {
        if (network < 1 || io < 1) {
            throw new IllegalArgumentException("The embedded broker needs at least one network and one I/O thread");
        }
        this.networkThreads = network;
        this.ioThreads = io;
        return this;
    }

    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        ServerSocketChannel clientSocket = null;
        ServerSocketChannel controllerSocket = null;
        try {
            clientSocket = PreboundKRaftNode.bind(HOST, port);
            controllerSocket = PreboundKRaftNode.bind(HOST, 0);
            port = localPort(clientSocket);
            int controllerPort = localPort(controllerSocket);
            server = new PreboundKRaftNode(KafkaConfig.fromProps(formattedConfig(controllerPort), false),
                    Map.of(port, clientSocket, controllerPort, controllerSocket));
            server.startup();
        } catch (Exception e) {
            PreboundKRaftNode.closeQuietly(clientSocket);
            PreboundKRaftNode.closeQuietly(controllerSocket);
            close();
            throw new IllegalStateException("The embedded Kafka broker did not start in " + dataDir + ": "
                    + causes(e), e);
        }
        LOG.info("Embedded Kafka broker listening on {}, data in {} ({})", bootstrapServers(), dataDir,
                deleteDataOnClose ? "temporary: every topic and record is gone when this process stops; set "
                        + "broker.embedded.data-dir to keep them" : "kept across restarts of this process");
        return this;
    }

    /** The node's configuration, its log directory formatted for it on the first start. */
    private Properties formattedConfig(int controllerPort) throws Exception {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":"
                + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // a broker restarted after kill -9 registers anew only once its old registration's session has expired
        // (9 s by default): the one node of this cluster is both, so a short session costs nothing
        props.put("broker.session.timeout.ms", Integer.toString(BROKER_SESSION_TIMEOUT_MS));
        props.put("broker.heartbeat.interval.ms", Integer.toString(BROKER_HEARTBEAT_INTERVAL_MS));
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        if (networkThreads != null) {
            props.put("num.network.threads", networkThreads.toString());
            props.put("num.io.threads", ioThreads.toString());
        }
        format(props);
        return props;
    }

    public String bootstrapServers() {
        if (port == 0) {
            throw new IllegalStateException(
                    "The embedded Kafka broker chooses its port when it starts: start it first");
        }
        return HOST + ":" + port;
    }

    Path dataDir() {
        return dataDir;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                server.shutdown();
            } finally {
                server = null;
            }
            LOG.info("Embedded Kafka broker stopped");
        }
        if (deleteDataOnClose) {
            deleteRecursively(dataDir);
        }
    }

    private void format(Properties props) throws Exception {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return; // formatted by an earlier run: keep its data
        }
        Files.createDirectories(dataDir);
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(1)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setMetadataLogDirectory(dataDir.toString())
                .setDirectories(java.util.List.of(dataDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setIgnoreFormatted(true)
                .run();
    }

    private static int localPort(ServerSocketChannel socket) {
        return socket.socket().getLocalPort();
    }

    /** Every message of the chain: Kafka wraps the one that says why in one that says where. */
    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(" <- ").append(cause.getMessage());
            }
        }
        return text.toString();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}", dir, e);
        }
    }
}
