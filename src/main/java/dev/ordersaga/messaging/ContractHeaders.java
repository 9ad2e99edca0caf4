package dev.ordersaga.messaging;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** The contract's record headers, as commands and replies both carry them. */
public final class ContractHeaders {

    private ContractHeaders() {
    }

    public static RecordHeaders of(String sagaId, String correlationId, String commandType) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(MessageHeaders.SAGA_ID, utf8(sagaId));
        headers.add(MessageHeaders.CORRELATION_ID, utf8(correlationId));
        headers.add(MessageHeaders.COMMAND_TYPE, utf8(commandType));
        return headers;
    }

    /**
     * The headers of the record a camel-kafka consumer read, as the record has them (the consumers copy none into the
     * message: {@code RecordHeadersNotCopied}); none when the message did not come from Kafka.
     */
    public static Headers of(Message message) {
        Headers headers = message.getHeader(KafkaConstants.HEADERS, Headers.class);
        return headers == null ? new RecordHeaders() : headers;
    }

    /** The last value of the header as text; null when the record has none. */
    public static String text(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null ? null : text(header.value());
    }

    /** A header value or record body as text, for routing and for the log; null stays null. */
    public static String text(byte[] utf8) {
        return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
