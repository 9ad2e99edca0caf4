package dev.ordersaga.routes;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.builder.RouteBuilder;

import dev.ordersaga.api.OrderApi;
import dev.ordersaga.participants.ParticipantRules.DemoView;

/**
 * Read-only JSON views of the reference participants' state, for demos and audits: {@code /demo/<view>} for each
 * participant that has one, and {@code /demo/repeats}, the repeated commands each answered from memory (after a
 * takeover, the commands sent again).
 */
public class DemoViewsRoute extends RouteBuilder {

    private final List<DemoView> views;
    private final Supplier<Map<String, Long>> repeats;

    public DemoViewsRoute(List<DemoView> views, Supplier<Map<String, Long>> repeats) {
        this.views = views;
        this.repeats = repeats;
    }

    @Override
    public void configure() {
        views.forEach(view -> serve(view.name(), view.state()));
        serve("repeats", repeats::get);
    }

    private void serve(String name, Supplier<?> state) {
        rest("/demo").get("/" + name).id("demo-" + name + "-api").produces("application/json")
            .to("direct:demo-" + name);
        from("direct:demo-" + name).routeId("demo-" + name)
            .process(exchange -> OrderApi.writeJson(exchange, 200, state.get())).id("read-" + name);
    }
}
