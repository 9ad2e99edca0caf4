package dev.ordersaga.messaging;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.json.Json;

/**
 * Takes each record of the reply topic to the {@link ReplyCorrelator}. A record that is not a reply (bad JSON, no
 * correlation id) is counted and dropped: one bad record must never stop the replies of every other saga.
 */
public final class ReplyInbox implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyInbox.class);

    private final ReplyCorrelator correlator;
    private final AtomicLong malformedReplies = new AtomicLong();

    public ReplyInbox(ReplyCorrelator correlator) {
        this.correlator = correlator;
    }

    @Override
    public void process(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        Reply reply;
        try {
            reply = Json.read(body, Reply.class);
        } catch (RuntimeException e) {
            reply = null;
        }
        if (reply == null || reply.correlationId() == null || reply.outcome() == null) {
            malformedReplies.incrementAndGet();
            LOG.warn("Dropped a malformed reply: {}", body);
            return;
        }
        correlator.deliver(reply);
    }

    public long malformedReplies() {
        return malformedReplies.get();
    }
}
