package dev.ordersaga.routes;

import org.apache.camel.builder.RouteBuilder;

import dev.ordersaga.messaging.ReplyInbox;

/**
 * The participants' replies, from the reply topic to the sagas that await them. The orchestrator's replicas share
 * the reply topic in one consumer group: the partitions a replica is assigned are the sagas it drives (cooperative
 * rebalancing, so that a replica joining or leaving moves only the partitions that change hands).
 */
public class SagaRepliesRoute extends RouteBuilder {

    public static final String ROUTE_ID = "saga-replies";

    private final ReplyInbox inbox;

    public SagaRepliesRoute(ReplyInbox inbox) {
        this.inbox = inbox;
    }

    @Override
    public void configure() {
        from("kafka:{{topics.replies}}?groupId={{orchestrator.group-id}}&groupInstanceId={{orchestrator.instance-id}}"
                + "&partitionAssignor=org.apache.kafka.clients.consumer.CooperativeStickyAssignor")
            .routeId(ROUTE_ID)
            // started once every other route runs: its first partitions start their sagas' recovery at once
            .autoStartup(false)
            .process(inbox).id("correlate-reply");
    }
}
