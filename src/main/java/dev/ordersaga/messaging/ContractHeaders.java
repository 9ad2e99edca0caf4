package dev.ordersaga.messaging;

import java.nio.charset.StandardCharsets;

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

    static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
