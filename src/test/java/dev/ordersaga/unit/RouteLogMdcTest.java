package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import dev.ordersaga.observe.RouteLogMdc;
import dev.ordersaga.testsupport.CapturedLogs;

/** A route's log node writes its line with the saga's ids of the exchange's headers, and leaves the thread as it was. */
class RouteLogMdcTest {

    private final CapturedLogs captured = new CapturedLogs("route-log-mdc-test");
    private final List<LogEvent> logged = captured.events();
    private CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        captured.start();
        camel = new DefaultCamelContext();
        camel.getCamelContextExtension().addInterceptStrategy(new RouteLogMdc());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:saga").routeId("saga")
                    .log("Order ${header.order-id} rejected").id("log-rejection")
                    .process(exchange -> exchange.setProperty("after", MDC.getCopyOfContextMap())).id("after-log");
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        captured.stop();
        MDC.clear();
    }

    @Test
    void theLogLineCarriesTheIdsOfTheExchangesHeadersAndTheThreadKeepsItsOwn() {
        MDC.put("order-id", "the thread's own");
        ProducerTemplate producer = camel.createProducerTemplate();
        Map<String, Object> after = producer.send("direct:saga", exchange -> exchange.getMessage().setHeaders(
                new HashMap<>(Map.of("order-id", "o-1", "correlation-id", "o-1:reserve-inventory:do",
                        "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"))))
                .getProperty("after", Map.class);

        LogEvent line = logged.stream().filter(e -> e.getMessage().getFormattedMessage().equals("Order o-1 rejected"))
                .findFirst().orElseThrow();
        assertThat(line.getContextData().toMap()).containsEntry("order-id", "o-1")
                .containsEntry("correlation-id", "o-1:reserve-inventory:do")
                .containsEntry("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(after).as("the MDC after the log node").containsEntry("order-id", "the thread's own")
                .doesNotContainKeys("correlation-id", "trace_id");
    }

    @Test
    void anExchangeWithoutIdsLogsNone() {
        camel.createProducerTemplate().sendBody("direct:saga", "no headers");

        LogEvent line = logged.stream().filter(e -> e.getMessage().getFormattedMessage().startsWith("Order "))
                .findFirst().orElseThrow();
        assertThat(line.getContextData().toMap()).doesNotContainKeys("order-id", "correlation-id", "trace_id");
    }
}
