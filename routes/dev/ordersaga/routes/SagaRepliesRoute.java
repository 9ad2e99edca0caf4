package dev.ordersaga.routes;

import org.apache.camel.builder.RouteBuilder;

import dev.ordersaga.messaging.ReplyInbox;

/** The participants' replies, from the reply topic to the sagas that await them. */
public class SagaRepliesRoute extends RouteBuilder {

    private final ReplyInbox inbox;

    public SagaRepliesRoute(ReplyInbox inbox) {
        this.inbox = inbox;
    }

    @Override
    public void configure() {
        from("kafka:{{topics.replies}}?groupId={{orchestrator.group-id}}&groupInstanceId={{orchestrator.instance-id}}").routeId("saga-replies")
            .process(inbox).id("correlate-reply");
    }
}
