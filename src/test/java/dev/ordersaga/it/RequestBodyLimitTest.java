package dev.ordersaga.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A body over api.max-body-bytes (64 KiB) is answered 413 problem+json, however it comes: with its length declared
 * (10 MB, far over Undertow's own 2 MiB, which used to answer a bare 400), with Expect: 100-continue (never told to
 * send it), or chunked with no length at all. Raw sockets, as curl sends them, since an HTTP client library would
 * hide how the body is framed.
 */
@ExtendWith(RunningApplication.class)
class RequestBodyLimitTest {

    private static final int TEN_MB = 10 * 1024 * 1024;

    @Test
    void aDeclaredBodyOverTheLimitIsAnswered413BeforeItIsSent() throws Exception {
        String answer = exchange("Content-Length: " + TEN_MB + "\r\n", null);

        assertTooLarge(answer);
    }

    @Test
    void aClientThatExpects100ContinueIsAnswered413AndNeverAskedForTheBody() throws Exception {
        String answer = exchange("Content-Length: " + TEN_MB + "\r\nExpect: 100-continue\r\n", null);

        assertThat(answer).doesNotContain("100 Continue");
        assertTooLarge(answer);
    }

    @Test
    void aChunkedBodyThatGrowsPastTheLimitIsAnswered413() throws Exception {
        String answer = exchange("Transfer-Encoding: chunked\r\n", 200);

        assertTooLarge(answer);
    }

    @Test
    void aBodyWithinTheLimitStillReachesTheOrderRoute() throws Exception {
        String answer = exchange("Transfer-Encoding: chunked\r\n", 1);

        assertThat(answer).startsWith("HTTP/1.1 400").contains("problems/malformed-json");
    }

    private static void assertTooLarge(String answer) {
        assertThat(answer).startsWith("HTTP/1.1 413").contains("Content-Type: application/problem+json")
                .contains("\"type\":\"https://order-saga.dev/problems/payload-too-large\"", "\"status\":413");
    }

    /**
     * Sends a POST of the order API with these framing headers and, for a chunked body, up to {@code chunks} chunks
     * of 8 KiB of junk (stopping as soon as the server answers), and reads the whole answer.
     */
    private static String exchange(String framing, Integer chunks) throws IOException {
        String port = RunningApplication.application().camelContext().resolvePropertyPlaceholders("{{api.port}}");
        try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(port))) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // read while sending: a server that answers before the body is all there closes the connection, and what
            // it answered must be read before the reset that closing on unread chunks brings
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> readAnswer(in));
            out.write(("POST /api/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + framing
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (chunks != null) {
                byte[] chunk = new byte[8192];
                Arrays.fill(chunk, (byte) 'a');
                try {
                    for (int i = 0; i < chunks && !answer.isDone(); i++) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                    if (!answer.isDone()) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (SocketException answeredAndClosed) {
                    // the server answered and closed while chunks were still on their way: the answer is there
                }
            }
            return answer.join();
        }
    }

    /** Everything the server answered, up to the end of its body, or until it reset the connection. */
    private static String readAnswer(InputStream in) {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            readInto(in, answer);
        } catch (IOException resetAfterAnswering) {
            // what was read before the reset is the answer
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private static void readInto(InputStream in, ByteArrayOutputStream answer) throws IOException {
        byte[] buffer = new byte[4096];
        int contentLength = -1;
        while (true) {
            int read = in.read(buffer);
            if (read < 0) {
                break;
            }
            answer.write(buffer, 0, read);
            String text = answer.toString(StandardCharsets.UTF_8);
            int headersEnd = text.indexOf("\r\n\r\n");
            if (headersEnd >= 0) {
                int at = text.toLowerCase().indexOf("content-length:");
                if (at >= 0 && at < headersEnd) {
                    contentLength = Integer.parseInt(text.substring(at + 15, text.indexOf("\r\n", at)).trim());
                }
                if (contentLength >= 0 && answer.size() >= headersEnd + 4 + contentLength) {
                    break;
                }
            }
        }
    }
}
