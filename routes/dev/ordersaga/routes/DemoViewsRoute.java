package dev.ordersaga.routes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.builder.RouteBuilder;

import dev.ordersaga.api.OrderApi;
import dev.ordersaga.participants.ReferenceParticipants;

/** Read-only JSON views of the reference participants' state, for demos and audits. */
public class DemoViewsRoute extends RouteBuilder {

    private final ReferenceParticipants participants;

    public DemoViewsRoute(ReferenceParticipants participants) {
        this.participants = participants;
    }

    @Override
    public void configure() {
        Map<String, Supplier<Object>> views = new LinkedHashMap<>();
        views.put("inventory", () -> participants.inventory().view());
        views.put("payments", () -> participants.payments().view());
        views.put("emails", () -> participants.notifications().view());
        views.put("orders", () -> participants.orders().view());
        // repeated commands answered from memory, per participant: after a takeover, the commands sent again
        views.put("repeats", participants::repeatsAnswered);

        views.forEach((name, view) -> {
            rest("/demo").get("/" + name).id("demo-" + name + "-api").produces("application/json")
                .to("direct:demo-" + name);
            from("direct:demo-" + name).routeId("demo-" + name)
                .process(exchange -> OrderApi.writeJson(exchange, 200, view.get())).id("read-" + name);
        });
    }
}
