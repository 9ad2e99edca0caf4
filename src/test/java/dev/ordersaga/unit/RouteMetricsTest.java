package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.ordersaga.observe.RouteMetrics;

/**
 * Each metered route counts its exchanges by how they ended and times them from entering the route to leaving it,
 * with camel-micrometer's meter names and tags; a route left out has no meters.
 */
class RouteMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private static final long HELD_MILLIS = 50;

    private CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutePolicyFactory(new RouteMetrics(meters, Set.of("left-out")));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from("direct:outer").routeId("outer")
                    .to("direct:inner").id("call-inner");
                from("direct:inner").routeId("inner")
                    .filter(body().isEqualTo("fail")).throwException(new IllegalStateException("failed")).end()
                    .filter(body().isEqualTo("slow"))
                        .process(exchange -> holdFor(HELD_MILLIS)).id("hold-the-exchange");
                from("direct:left-out").routeId("left-out")
                    .log("not metered").id("log-left-out");
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void countsEachRoutesExchangesByHowTheyEnded() {
        ProducerTemplate producer = camel.createProducerTemplate();
        producer.sendBody("direct:outer", "ok");
        producer.sendBody("direct:inner", "ok");
        producer.send("direct:outer", exchange -> exchange.getMessage().setBody("fail"));

        assertThat(count("camel.exchanges.total", "inner")).isEqualTo(3);
        assertThat(count("camel.exchanges.succeeded", "inner")).isEqualTo(2);
        assertThat(count("camel.exchanges.failed", "inner")).isEqualTo(1);
        assertThat(count("camel.exchanges.total", "outer")).isEqualTo(2);
        assertThat(count("camel.exchanges.failed", "outer")).isEqualTo(1);
        assertThat(timer("inner").count()).isEqualTo(3);
        assertThat(timer("outer").count()).isEqualTo(2);
        assertThat(meters.find("camel.route.policy").tag("kind", "CamelRoute").tag("eventType", "route")
                .tag("routeId", "outer").timer()).as("camel-micrometer's tags").isNotNull();
    }

    @Test
    void timesAnExchangeFromEnteringTheRouteToLeavingIt() {
        camel.createProducerTemplate().sendBody("direct:outer", "slow");

        assertThat(timer("inner").totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(HELD_MILLIS);
        assertThat(timer("outer").totalTime(TimeUnit.MILLISECONDS))
                .isGreaterThanOrEqualTo(timer("inner").totalTime(TimeUnit.MILLISECONDS));
    }

    @Test
    void aRouteLeftOutHasNoMeters() {
        camel.createProducerTemplate().sendBody("direct:left-out", "ok");

        assertThat(meters.find("camel.exchanges.total").tag("routeId", "left-out").counter()).isNull();
        assertThat(meters.find("camel.route.policy").tag("routeId", "left-out").timer()).isNull();
        assertThat(meters.find("camel.route.policy").tag("routeId", "inner").timer()).isNotNull();
    }

    private double count(String name, String routeId) {
        return meters.get(name).tag("routeId", routeId).counter().count();
    }

    private Timer timer(String routeId) {
        return meters.get("camel.route.policy").tag("routeId", routeId).timer();
    }

    /** Holds the exchange on its thread for at least that long, measured: a sleep may wake early on some clocks. */
    private static void holdFor(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
