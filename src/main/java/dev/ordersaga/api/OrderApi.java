package dev.ordersaga.api;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.OrderStatus;
import dev.ordersaga.domain.OrderView;
import dev.ordersaga.domain.OrderViews;
import dev.ordersaga.json.Json;
import dev.ordersaga.messaging.MessageHeaders;

/** The work behind the order API's routes: checking requests, accepting orders, and writing answers. */
public final class OrderApi {

    private static final Logger LOG = LoggerFactory.getLogger(OrderApi.class);
    private static final Pattern PREFER_WAIT = Pattern.compile("(?:^|[,;\\s])wait\\s*=\\s*(\\d{1,9})");
    private static final String JSON = "application/json";

    /** The limits the API enforces, all from config. */
    public record Limits(int maxBodyBytes, int maxWaitSeconds, int defaultListLimit, int maxListLimit) {
    }

    private final OrderViews orders;
    private final OrderRequestParser parser;
    private final Limits limits;
    private final Clock clock;

    public OrderApi(OrderViews orders, OrderRequestParser parser, Limits limits, Clock clock) {
        this.orders = orders;
        this.parser = parser;
        this.limits = limits;
        this.clock = clock;
    }

    /** Refuses what is not a JSON body of an acceptable size, before it is read as an order. */
    public void checkRequest(Exchange exchange) {
        Message in = exchange.getMessage();
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(JSON)) {
            throw new ApiProblem(415, "Unsupported media type",
                    "Send the order as application/json; got " + (contentType == null ? "no Content-Type" : contentType));
        }
        Long declaredLength = in.getHeader(Exchange.CONTENT_LENGTH, Long.class);
        byte[] body = in.getBody(byte[].class);
        long length = body != null ? body.length : 0;
        if ((declaredLength != null && declaredLength > limits.maxBodyBytes()) || length > limits.maxBodyBytes()) {
            throw new ApiProblem(413, "Payload too large",
                    "An order body may be at most " + limits.maxBodyBytes() + " bytes.");
        }
    }

    /** Reads the order, gives it an id and starts tracking it; the body becomes the {@link Order}. */
    public void acceptOrder(Exchange exchange) {
        Order order = parser.parse(exchange.getMessage().getBody(String.class), UUID.randomUUID().toString(),
                clock.instant());
        orders.accept(order);
        Message message = exchange.getMessage();
        message.setHeader(MessageHeaders.ORDER_ID, order.orderId());
        message.setBody(order);
        LOG.info("Order {} accepted: {} item(s), total {} {}", order.orderId(), order.items().size(),
                order.total().toPlainString(), order.currency());
    }

    /**
     * Answers a placed order: {@code 202} with the view at once, or, with {@code Prefer: wait=N}, {@code 201} with the
     * final view if the saga ends within N seconds (capped), {@code 202} if not. The wait holds no thread.
     */
    public AsyncProcessor answerPlacedOrder() {
        return new AsyncProcessorSupport() {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                String orderId = exchange.getMessage().getHeader(MessageHeaders.ORDER_ID, String.class);
                int waitSeconds = preferredWait(exchange.getMessage().getHeader("Prefer", String.class));
                Optional<CompletableFuture<OrderView>> ended = orders.whenSagaEnded(orderId);
                if (waitSeconds == 0 || ended.isEmpty()) {
                    writePlaced(exchange, orderId, null, 0);
                    callback.done(true);
                    return true;
                }
                ended.get().copy().completeOnTimeout(null, waitSeconds, TimeUnit.SECONDS)
                        .whenComplete((finalView, error) -> {
                            writePlaced(exchange, orderId, finalView, waitSeconds);
                            callback.done(false);
                        });
                return false;
            }
        };
    }

    public void getOrder(Exchange exchange) {
        String orderId = exchange.getMessage().getHeader("orderId", String.class);
        OrderView view = orders.view(orderId).orElseThrow(
                () -> new ApiProblem(404, "Order not found", "No order with id " + orderId + " is known."));
        writeJson(exchange, 200, view);
    }

    public void listOrders(Exchange exchange) {
        Message in = exchange.getMessage();
        OrderStatus status = null;
        String statusParam = in.getHeader("status", String.class);
        if (statusParam != null && !statusParam.isBlank()) {
            try {
                status = OrderStatus.valueOf(statusParam.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ApiProblem(400, "Invalid query", "status must be one of PENDING, APPROVED, REJECTED",
                        List.of(new ApiProblem.FieldError("status", "unknown status " + statusParam)));
            }
        }
        int limit = limits.defaultListLimit();
        String limitParam = in.getHeader("limit", String.class);
        if (limitParam != null && !limitParam.isBlank()) {
            try {
                limit = Integer.parseInt(limitParam.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > limits.maxListLimit()) {
                throw new ApiProblem(400, "Invalid query", "limit must be between 1 and " + limits.maxListLimit(),
                        List.of(new ApiProblem.FieldError("limit", "out of range: " + limitParam)));
            }
        }
        writeJson(exchange, 200, orders.recent(status, limit));
    }

    /** Writes the exception the route caught as problem details; a bug gets a 500 that tells nothing internal. */
    public void writeProblem(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ApiProblem problem;
        if (caught instanceof ApiProblem apiProblem) {
            problem = apiProblem;
        } else {
            LOG.error("Unexpected failure answering {}", exchange.getMessage().getHeader(Exchange.HTTP_URI), caught);
            problem = new ApiProblem(500, "Internal error", "The request could not be handled.");
        }
        Message out = exchange.getMessage();
        String instance = out.getHeader(Exchange.HTTP_URI, String.class);
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        out.setHeader(Exchange.CONTENT_TYPE, ProblemDetails.MEDIA_TYPE);
        out.setBody(Json.write(ProblemDetails.of(problem, instance)));
    }

    public static void writeJson(Exchange exchange, int status, Object body) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, JSON);
        out.setBody(Json.write(body));
    }

    private void writePlaced(Exchange exchange, String orderId, OrderView finalView, int waitedSeconds) {
        OrderView view = finalView != null ? finalView : orders.view(orderId).orElseThrow();
        writeJson(exchange, finalView != null ? 201 : 202, view);
        exchange.getMessage().setHeader("Location", "/api/orders/" + orderId);
        if (waitedSeconds > 0) {
            exchange.getMessage().setHeader("Preference-Applied", "wait=" + waitedSeconds);
        }
    }

    private int preferredWait(String prefer) {
        if (prefer == null) {
            return 0;
        }
        Matcher matcher = PREFER_WAIT.matcher(prefer.toLowerCase(Locale.ROOT));
        return matcher.find() ? (int) Math.min(Long.parseLong(matcher.group(1)), limits.maxWaitSeconds()) : 0;
    }
}
