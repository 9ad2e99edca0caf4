package dev.ordersaga.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;

import dev.ordersaga.json.Json;

/**
 * The API's body limit ({@code api.max-body-bytes}), enforced where the body arrives, in Undertow, before
 * camel-undertow reads it ({@link BodyLimitedUndertowComponent}'s server asks this first of every request):
 * <ul>
 * <li>a request that declares a longer body is answered 413 at once (also one that asked
 * {@code Expect: 100-continue}, which is then never told to send it);</li>
 * <li>a body that does not declare its length (chunked) is handed to the route only up to one byte past the limit,
 * which answers 413, while the rest is read and dropped, so that the client, still sending, gets its answer instead
 * of a reset connection (up to {@link #MAX_DRAINED} bytes; beyond them the connection is dropped).</li>
 * </ul>
 * Both as problem+json, like every refusal of the API. Without this, Undertow's own limit (2 MiB) made camel-undertow
 * answer a bare 400.
 */
public final class RequestBodyLimit {

    /** How much of a chunked body over the limit is read and dropped before the connection is given up. */
    static final long MAX_DRAINED = 64L * 1024 * 1024;

    private final long maxBodyBytes;

    public RequestBodyLimit(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Answers 413 at once if the request declares a body over the limit (and returns true); otherwise holds what
     * the route is handed of its body to one byte over the limit, which the route answers 413.
     */
    boolean refused(HttpServerExchange exchange) {
        if (exchange.getRequestContentLength() > maxBodyBytes) {
            answerTooLarge(exchange);
            return true;
        }
        if (exchange.getRequestContentLength() < 0) {
            exchange.addRequestWrapper((factory, wrapped) -> new HandsOnlyTheLimit(factory.create()));
        }
        return false;
    }

    private void answerTooLarge(HttpServerExchange exchange) {
        ProblemDetails problem = ProblemDetails.of(new ApiProblem(ProblemType.PAYLOAD_TOO_LARGE,
                tooLarge()), exchange.getRequestPath());
        exchange.setStatusCode(ProblemType.PAYLOAD_TOO_LARGE.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, ProblemDetails.MEDIA_TYPE);
        // the declared body is not read: the connection closes after the answer
        exchange.setPersistent(false);
        exchange.getResponseSender().send(new String(Json.write(problem), StandardCharsets.UTF_8));
    }

    /** What a 413 of the API says. */
    String tooLarge() {
        return tooLarge(maxBodyBytes);
    }

    static String tooLarge(long maxBodyBytes) {
        return "A request body may be at most " + maxBodyBytes + " bytes.";
    }

    /** Hands the reader the body up to one byte over the limit, and reads and drops the rest. */
    private final class HandsOnlyTheLimit extends AbstractStreamSourceConduit<StreamSourceConduit> {
        private final ByteBuffer dropped = ByteBuffer.allocate(8192);
        private long handed;
        private long drained;

        HandsOnlyTheLimit(StreamSourceConduit next) {
            super(next);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            long room = maxBodyBytes + 1 - handed;
            if (room > 0) {
                int limit = dst.limit();
                if (dst.remaining() > room) {
                    dst.limit(dst.position() + (int) room);
                }
                try {
                    int read = next.read(dst);
                    handed += Math.max(read, 0);
                    return read;
                } finally {
                    dst.limit(limit);
                }
            }
            return drain();
        }

        /** Reads what has arrived and drops it: 0 when nothing is there now, -1 at the end of the body. */
        private int drain() throws IOException {
            while (true) {
                dropped.clear();
                int read = next.read(dropped);
                if (read <= 0) {
                    return read;
                }
                drained += read;
                if (drained > MAX_DRAINED) {
                    throw new RequestTooBigException(tooLarge());
                }
            }
        }

        @Override
        public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
            for (int i = offs; i < offs + len; i++) {
                if (dsts[i].hasRemaining()) {
                    return read(dsts[i]);
                }
            }
            return 0;
        }

        @Override
        public long transferTo(long position, long count, FileChannel target) throws IOException {
            return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
        }

        @Override
        public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
            return Conduits.transfer(this, count, throughBuffer, target);
        }
    }
}
