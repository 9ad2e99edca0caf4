package dev.ordersaga.routes;

import java.util.Map;

import org.apache.camel.builder.RouteBuilder;

import dev.ordersaga.flow.Participant;
import dev.ordersaga.participants.ParticipantCommandProcessor;

/**
 * The reference participants, one route each, all of one shape: take a command from the participant's topic, handle
 * it (idempotently), and answer on the topic the command asked for (without waiting for the broker's ack, so that one
 * command's round trip does not hold up the next). One per participant the flows name.
 */
public class ParticipantRoutes extends RouteBuilder {

    private final Map<Participant, ParticipantCommandProcessor> participants;
    private final Map<Participant, String> commandTopics;

    public ParticipantRoutes(Map<Participant, ParticipantCommandProcessor> participants,
                             Map<Participant, String> commandTopics) {
        this.participants = participants;
        this.commandTopics = commandTopics;
    }

    /** The route of a participant is named after it. */
    public static String routeId(Participant participant) {
        return participant.name();
    }

    @Override
    public void configure() {
        participants.forEach((participant, answer) ->
            from("kafka:" + commandTopics.get(participant)
                    + "?groupId=" + participant.groupId("{{participants.group-id-prefix}}")
                    + "&groupInstanceId=" + participant.groupInstanceId("{{participants.instance-id}}"))
                .routeId(routeId(participant))
                .process(answer).id(participant.name() + "-answer-command"));
    }
}
