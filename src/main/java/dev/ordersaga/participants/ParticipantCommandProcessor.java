package dev.ordersaga.participants;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.json.Json;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.messaging.Reply;

/**
 * Turns a command record into the reply record of one participant: the reply goes to the topic the command's
 * {@code reply-to} header names, keyed by order id, with the contract's headers. A record that is not a command is
 * logged and skipped: there is nobody to answer.
 */
public final class ParticipantCommandProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ParticipantCommandProcessor.class);

    private final IdempotentParticipant participant;

    public ParticipantCommandProcessor(IdempotentParticipant participant) {
        this.participant = participant;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        String body = message.getBody(String.class);
        String replyTo = message.getHeader(MessageHeaders.REPLY_TO, String.class);
        Command command;
        try {
            command = Json.read(body, Command.class);
        } catch (RuntimeException e) {
            command = null;
        }
        if (command == null || command.correlationId() == null || command.order() == null || replyTo == null) {
            LOG.warn("{} skipped a record that is not a command: {}", participant.serviceName(), body);
            exchange.setRouteStop(true);
            return;
        }
        Reply reply = participant.handle(command);
        message.removeHeaders("*");
        message.setHeader(KafkaConstants.KEY, reply.orderId());
        message.setHeader(KafkaConstants.OVERRIDE_TOPIC, replyTo);
        message.setHeader(MessageHeaders.SAGA_ID, reply.sagaId());
        message.setHeader(MessageHeaders.CORRELATION_ID, reply.correlationId());
        message.setHeader(MessageHeaders.COMMAND_TYPE, reply.commandType());
        message.setBody(Json.writeString(reply));
    }

    public String serviceName() {
        return participant.serviceName();
    }
}
