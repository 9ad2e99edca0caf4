package dev.ordersaga.routes;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestDefinition;

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
        RestDefinition demo = rest("/demo").description("Read-only views of the reference participants' state, for "
            + "demos and audits");
        views.forEach(view -> serve(demo, view.name(), "The state of the participant whose view this is",
            view.state()));
        serve(demo, "repeats", "How many repeated commands each participant answered from memory", repeats::get);
    }

    private void serve(RestDefinition demo, String name, String description, Supplier<?> state) {
        demo.get("/" + name).id("demo-" + name + "-api").description(description).produces("application/json")
            .responseMessage().code(200).message(description).endResponseMessage()
            .to("direct:demo-" + name);
        from("direct:demo-" + name).routeId("demo-" + name)
            .process(exchange -> OrderApi.writeJson(exchange, 200, state.get())).id("read-" + name);
    }
}
