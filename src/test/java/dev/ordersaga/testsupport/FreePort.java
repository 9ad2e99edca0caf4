package dev.ordersaga.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP port nobody listens on right now, for an application or broker a test starts. The port is only found free:
 * the application binds it later. So it is drawn below the kernel's ephemeral range, where no outgoing connection
 * (a Kafka client's, an HTTP client's) can take it in the meantime, and never twice in one JVM.
 */
public final class FreePort {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default start of the ephemeral range, where the file above cannot be read. */
    private static final int DEFAULT_EPHEMERAL_START = 32768;
    private static final int LOWEST = 10_000;
    private static final int START = ephemeralStart();
    private static final AtomicInteger NEXT = new AtomicInteger(
            LOWEST + ThreadLocalRandom.current().nextInt(Math.max(1, (START - LOWEST) / 2)));

    private FreePort() {
    }

    public static int next() {
        for (int tried = 0; tried < START - LOWEST; tried++) {
            int port = NEXT.getAndUpdate(p -> p + 1 < START ? p + 1 : LOWEST);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No free port between " + LOWEST + " and " + START);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int ephemeralStart() {
        try { // not readString: procfs reports a size of 0, and readString then reads a single byte
            String[] range = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
            int start = Integer.parseInt(range[0]);
            return start > LOWEST ? start : DEFAULT_EPHEMERAL_START;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_START;
        }
    }
}
