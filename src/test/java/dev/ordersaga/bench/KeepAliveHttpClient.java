package dev.ordersaga.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's HTTP/1.1 client: prepared requests sent over keep-alive connections, all of them served by one
 * selector thread ({@code bench-http-1}, so that its CPU is counted as the generator's). A request takes an idle
 * connection to its server or opens one; a connection goes back to the idle ones once its response has been read
 * whole (by {@code Content-Length}, or chunked), and is dropped when the server closes it. No request is ever
 * retried: a request that fails, or gets no answer within the timeout, is reported as failed.
 * <p>
 * Why not {@code java.net.http}: at 1,500 POSTs/s it spent a tenth of the JVM's CPU, a quarter of that in its
 * connection pool's ordered list of idle connections (a linear walk on every return to the pool), which made the
 * generator the third-biggest consumer of the process it measures.
 */
final class KeepAliveHttpClient implements AutoCloseable {

    /** A response as the generator needs it: the status, the {@code Location} header (or null) and the body. */
    record Response(int status, String location, byte[] body) {
    }

    /** Told once of each request's end, on the client's thread: keep it short. */
    interface Callback {
        void done(Response response, String failure);
    }

    /** A request ready to go on the wire, to one server. */
    record Request(InetSocketAddress server, byte[] bytes) {

        static Request post(String url, byte[] body, List<String> headers) {
            URI uri = URI.create(url);
            int port = uri.getPort() < 0 ? 80 : uri.getPort();
            StringBuilder head = new StringBuilder("POST ").append(uri.getRawPath()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(uri.getHost()).append(':').append(port).append("\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
            headers.forEach(header -> head.append(header).append("\r\n"));
            byte[] start = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] bytes = Arrays.copyOf(start, start.length + body.length);
            System.arraycopy(body, 0, bytes, start.length, body.length);
            return new Request(new InetSocketAddress(uri.getHost(), port), bytes);
        }
    }

    private record Call(Request request, Callback callback) {
    }

    private final Selector selector;
    private final Thread loop;
    private final long timeoutNanos;
    private final Queue<Call> submitted = new ConcurrentLinkedQueue<>();
    // the rest belongs to the client's thread
    private final Map<InetSocketAddress, ArrayDeque<Connection>> idle = new HashMap<>();
    private final Set<Connection> busy = new HashSet<>();
    private volatile boolean closed;

    KeepAliveHttpClient(long timeout, TimeUnit unit) throws IOException {
        this.timeoutNanos = unit.toNanos(timeout);
        this.selector = Selector.open();
        this.loop = new Thread(this::run, "bench-http-1");
        loop.setDaemon(true);
        loop.start();
    }

    /** Sends {@code request}; {@code callback} hears of its response or failure, once. */
    void send(Request request, Callback callback) {
        submitted.add(new Call(request, callback));
        selector.wakeup();
    }

    private void run() {
        long nextTimeoutCheck = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        try {
            while (!closed) {
                selector.select(TimeUnit.SECONDS.toMillis(1));
                for (Call call; (call = submitted.poll()) != null; ) {
                    start(call);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Connection) key.attachment()).ready(key);
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime();
                if (now >= nextTimeoutCheck) {
                    nextTimeoutCheck = now + TimeUnit.SECONDS.toNanos(1);
                    for (Connection connection : new ArrayList<>(busy)) {
                        if (now - connection.startedNanos > timeoutNanos) {
                            connection.fail("http timeout");
                        }
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                throw new IllegalStateException("the benchmark's HTTP client stopped", e);
            }
        }
    }

    private void start(Call call) {
        ArrayDeque<Connection> ready = idle.get(call.request().server());
        Connection connection = ready == null ? null : ready.poll();
        try {
            if (connection == null) {
                connection = new Connection(call.request().server());
            }
            connection.begin(call);
        } catch (IOException e) {
            if (connection != null) {
                connection.close();
            }
            call.callback().done(null, "http " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }

    /** One keep-alive connection to one server, with at most one request on it at a time. */
    private final class Connection {
        private final InetSocketAddress server;
        private final SocketChannel channel;
        private final SelectionKey key;
        private ByteBuffer in = ByteBuffer.allocate(4096);
        private ByteBuffer out;
        private Call call;
        private long startedNanos;

        Connection(InetSocketAddress server) throws IOException {
            this.server = server;
            this.channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected = channel.connect(server);
            this.key = channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, this);
        }

        void begin(Call next) throws IOException {
            call = next;
            startedNanos = System.nanoTime();
            busy.add(this);
            out = ByteBuffer.wrap(next.request().bytes());
            if (channel.isConnected()) {
                write();
            }
        }

        void ready(SelectionKey selected) {
            try {
                if (!selected.isValid()) {
                    fail("http closed");
                    return;
                }
                if (selected.isConnectable() && channel.finishConnect()) {
                    write();
                }
                if (selected.isValid() && selected.isWritable()) {
                    write();
                }
                if (selected.isValid() && selected.isReadable()) {
                    read();
                }
            } catch (IOException e) {
                fail("http " + e.getClass().getSimpleName());
            }
        }

        private void write() throws IOException {
            channel.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        private void read() throws IOException {
            if (!in.hasRemaining()) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
            if (channel.read(in) < 0) {
                // an idle connection the server closed is simply dropped; one with a request on it fails it
                fail("http closed");
                return;
            }
            if (call == null) {
                in.clear();
                return;
            }
            Response response = parse(in.array(), in.position());
            if (response == null) {
                return;
            }
            Call done = call;
            call = null;
            busy.remove(this);
            in.clear();
            idle.computeIfAbsent(server, s -> new ArrayDeque<>()).push(this);
            done.callback().done(response, null);
        }

        void fail(String failure) {
            Call failed = call;
            call = null;
            close();
            if (failed != null) {
                failed.callback().done(null, failure);
            }
        }

        void close() {
            busy.remove(this);
            ArrayDeque<Connection> ready = idle.get(server);
            if (ready != null) {
                ready.remove(this);
            }
            key.cancel();
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is all that was left to do with it
            }
        }
    }

    /** The response in {@code bytes[0..length)} if it is all there, else null. */
    static Response parse(byte[] bytes, int length) {
        int headEnd = indexOf(bytes, 0, length, CRLF_CRLF);
        if (headEnd < 0) {
            return null;
        }
        String[] lines = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
        String location = null;
        int contentLength = 0;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "location" -> location = value;
                case "content-length" -> contentLength = Integer.parseInt(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                default -> { }
            }
        }
        int bodyStart = headEnd + CRLF_CRLF.length;
        byte[] body = chunked ? dechunk(bytes, bodyStart, length)
                : length - bodyStart >= contentLength ? Arrays.copyOfRange(bytes, bodyStart, bodyStart + contentLength)
                : null;
        return body == null ? null : new Response(status, location, body);
    }

    /** The body of a chunked message from {@code from}, or null if its last chunk has not arrived yet. */
    private static byte[] dechunk(byte[] bytes, int from, int length) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = from;
        while (true) {
            int lineEnd = indexOf(bytes, at, length, CRLF);
            if (lineEnd < 0) {
                return null;
            }
            String sizeField = new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int semicolon = sizeField.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeField : sizeField.substring(0, semicolon)).trim(), 16);
            int dataStart = lineEnd + CRLF.length;
            if (size == 0) {
                // no trailers are expected: the message ends with the empty line after the last chunk
                return indexOf(bytes, dataStart, length, CRLF) == dataStart ? body.toByteArray() : null;
            }
            if (length < dataStart + size + CRLF.length) {
                return null;
            }
            body.write(bytes, dataStart, size);
            at = dataStart + size + CRLF.length;
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CRLF_CRLF = {'\r', '\n', '\r', '\n'};

    private static int indexOf(byte[] bytes, int from, int length, byte[] what) {
        outer:
        for (int i = from; i <= length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (bytes[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
