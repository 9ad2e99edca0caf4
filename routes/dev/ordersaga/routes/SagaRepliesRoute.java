package dev.ordersaga.routes;

import org.apache.camel.ShutdownRoute;
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
        from("kafka:{{topics.replies}}?groupId={{orchestrator.group-id}}&groupInstanceId={{orchestrator.instance-id}}")
            .routeId("saga-replies")
            // on a graceful stop (SIGTERM) replies keep coming until the sagas in flight have ended or the shutdown
            // timeout is up; what is still unfinished then is the recovery's, at the next start
            .shutdownRoute(ShutdownRoute.Defer)
            .process(inbox).id("correlate-reply");
    }
}
