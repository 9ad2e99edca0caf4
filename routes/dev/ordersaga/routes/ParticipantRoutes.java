package dev.ordersaga.routes;

import java.util.List;

import org.apache.camel.builder.RouteBuilder;

import dev.ordersaga.messaging.Participant;
import dev.ordersaga.participants.ParticipantCommandProcessor;

/**
 * The four reference participants, all of one shape: take a command from the participant's topic, handle it
 * (idempotently), and answer on the topic the command asked for (without waiting for the broker's ack, so that one
 * command's round trip does not hold up the next).
 */
public class ParticipantRoutes extends RouteBuilder {

    private final List<ParticipantCommandProcessor> participants;

    public ParticipantRoutes(List<ParticipantCommandProcessor> participants) {
        this.participants = participants;
    }

    @Override
    public void configure() {
        for (ParticipantCommandProcessor participant : participants) {
            Participant which = participant.participant();
            String name = which.serviceName();
            from("kafka:{{" + which.topicProperty() + "}}?groupId=" + which.groupId("{{participants.group-id-prefix}}")
                    + "&groupInstanceId=" + which.groupInstanceId("{{participants.instance-id}}"))
                .routeId(name)
                .process(participant).id(name + "-answer-command");
        }
    }
}
