package dev.ordersaga.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class FreePortTest {

    @Test
    void aPortIsDrawnBelowTheEphemeralRangeNeverTwiceAndCanBeBound() throws IOException {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        int ephemeralStart = Files.isReadable(range)
                ? Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]) : 32768;
        int first = FreePort.next();
        int second = FreePort.next();
        assertThat(first).isNotEqualTo(second);
        assertThat(first).isLessThan(ephemeralStart);
        assertThat(second).isLessThan(ephemeralStart);
        try (ServerSocket socket = new ServerSocket(first, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(socket.getLocalPort()).isEqualTo(first);
        }
    }
}
