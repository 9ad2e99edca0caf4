package dev.ordersaga.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
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
import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.json.Json;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.messaging.SagaMdc;
import dev.ordersaga.operator.OperatorAction;
import dev.ordersaga.operator.OperatorActionKind;
import dev.ordersaga.operator.OperatorActionLog;
import dev.ordersaga.orders.FlowVersionsInUse;
import dev.ordersaga.orders.IdempotencyKeyReusedException;
import dev.ordersaga.orders.OrderBook;
import dev.ordersaga.orders.OrderPlacement;
import dev.ordersaga.saga.SagaOwnership;

/** The work behind the order API's routes: checking requests, accepting orders, and writing answers. */
public final class OrderApi {

    private static final Logger LOG = LoggerFactory.getLogger(OrderApi.class);
    private static final Pattern PREFER_WAIT = Pattern.compile("(?:^|[,;\\s])wait\\s*=\\s*(\\d{1,9})");
    /** The media type of orders, in and out. */
    public static final String JSON = "application/json";
    private static final String BEARER = "Bearer ";

    /** The longest Idempotency-Key taken: enough for any UUID or hash a client makes keys of. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    /** Where the orders are: {@code POST} places one, {@code GET ORDERS_PATH/{orderId}} follows it. */
    public static final String ORDERS_PATH = "/api/orders";
    /** The root of the API's paths. */
    public static final String API_PATH = "/api";
    /** Where the flow versions with sagas to finish are listed. */
    public static final String FLOWS_PATH = "/api/flows";

    /** The limits the API enforces, all from config. */
    public record Limits(int maxBodyBytes, int maxWaitSeconds, int defaultListLimit, int maxListLimit,
                         Duration acceptTimeout, int maxSagasInFlight) {
    }

    private final OrderBook orders;
    private final OrderPlacement placement;
    private final Supplier<FlowVersion> newOrdersFlow;
    private final FlowVersionsInUse flows;
    private final SagaOwnership ownership;
    private final OrderRequestParser parser;
    private final Limits limits;
    private final OperatorActionLog operatorActions;
    private final String replicaId;
    private final Optional<byte[]> bearerToken;
    private final Clock clock;

    /**
     * @param newOrdersFlow the flow version a new order's saga is to run under: the newest this replica knows
     * @param operatorActions where operator actions are recorded, for the replica that owns the order to carry out
     * @param replicaId this replica's instance id, recorded with the actions it takes
     * @param bearerToken the token every request must present ({@code Authorization: Bearer <token>}); empty when
     *                    the API is open
     */
    public OrderApi(OrderBook orders, OrderPlacement placement, Supplier<FlowVersion> newOrdersFlow,
                    FlowVersionsInUse flows, SagaOwnership ownership, OrderRequestParser parser, Limits limits,
                    OperatorActionLog operatorActions, String replicaId,
                    Optional<String> bearerToken, Clock clock) {
        this.orders = orders;
        this.placement = placement;
        this.newOrdersFlow = newOrdersFlow;
        this.flows = flows;
        this.ownership = ownership;
        this.parser = parser;
        this.limits = limits;
        this.operatorActions = operatorActions;
        this.replicaId = replicaId;
        this.bearerToken = bearerToken.map(token -> token.getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    /** Whether every request must present the API's bearer token. */
    public boolean requiresToken() {
        return bearerToken.isPresent();
    }

    /** Refuses a request without the API's bearer token, when the API requires one. */
    public void authenticate(Exchange exchange) {
        if (bearerToken.isEmpty()) {
            return;
        }
        String authorization = exchange.getMessage().getHeader(ApiHeaders.AUTHORIZATION, String.class);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
        byte[] presented = bearer ? authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (!MessageDigest.isEqual(bearerToken.get(), presented)) {
            throw new ApiProblem(ProblemType.UNAUTHORIZED, bearer ? "The bearer token is not valid."
                    : "Send the API token as 'Authorization: Bearer <token>'.");
        }
    }

    /** Refuses what is not a JSON body of an acceptable size, before it is read as an order. */
    public void checkRequest(Exchange exchange) {
        Message in = exchange.getMessage();
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(JSON)) {
            throw new ApiProblem(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "Send the order as application/json; got " + (contentType == null ? "no Content-Type" : contentType));
        }
        // a declared body over api.max-body-bytes never gets here; one without a declared length is handed over up
        // to one byte past the limit (RequestBodyLimit)
        byte[] body = in.getBody(byte[].class);
        if (body != null && body.length > limits.maxBodyBytes()) {
            throw new ApiProblem(ProblemType.PAYLOAD_TOO_LARGE, RequestBodyLimit.tooLarge(limits.maxBodyBytes()));
        }
    }

    /**
     * Reads the order, gives it an id and records it durably, answering once this replica shows it; sets the
     * {@code order-id} header to the order that stands for the request (with an Idempotency-Key, the order placed
     * first with that key, on any replica). Its saga is started by the replica that owns its partition.
     */
    public void acceptOrder(Exchange exchange) {
        Message message = exchange.getMessage();
        String body = message.getBody(String.class);
        String idempotencyKey = idempotencyKey(message.getHeader(ApiHeaders.IDEMPOTENCY_KEY, String.class));
        // an order with a key lands in the key's partition, where competing requests with that key are decided
        String orderId = idempotencyKey == null ? UUID.randomUUID().toString()
                : ownership.newIdInPartitionOf(idempotencyKey);
        Order order = parser.parse(body, orderId, clock.instant());
        // a repeat of an order already placed is always answered: it starts nothing
        if (orders.inFlight() >= limits.maxSagasInFlight()
                && (idempotencyKey == null || !orders.knowsIdempotencyKey(idempotencyKey))) {
            throw new ApiProblem(ProblemType.TOO_BUSY, limits.maxSagasInFlight()
                    + " orders are being processed; nothing was started. Try again shortly.");
        }
        String traceparent = HttpServerSpans.traceparentOf(exchange).orElse(null);
        OrderPlacement.Placement placed = awaitPlaced(() -> placement.place(order, newOrdersFlow.get(), idempotencyKey,
                idempotencyKey == null ? null : sha256(body), traceparent));
        // DEBUG, not INFO: a line per order is a cost on the hot path at every rate, and what an order did is in its
        // record (GET /api/orders/{id}), the metrics and the trace; rejections and failures are still logged at INFO
        if (placed.isNew() && LOG.isDebugEnabled()) {
            try (SagaMdc ignored = SagaMdc.forSaga(order.orderId())) {
                LOG.debug("Order {} accepted: {} item(s), total {} {}", order.orderId(), order.items().size(),
                        order.total().toPlainString(), order.currency());
            }
        }
        message.setHeader(MessageHeaders.ORDER_ID, placed.orderId());
        message.setBody(order);
    }

    /**
     * Refuses a retry that has nothing to retry, on any replica, from the order record every replica reads: the order
     * must be COMPENSATION_FAILED, or approved with a confirmation that failed every attempt.
     */
    public void checkRetryCompensation(Exchange exchange) {
        String orderId = exchange.getMessage().getHeader(ApiParameters.ORDER_ID, String.class);
        OrderView view = orders.view(orderId).orElseThrow(
                () -> new ApiProblem(ProblemType.NOT_FOUND, "No order with id " + orderId + " is known."));
        if (view.status() != OrderStatus.COMPENSATION_FAILED && !orders.confirmationFailed(orderId)) {
            throw new ApiProblem(ProblemType.NOTHING_TO_RETRY, "Order " + orderId + " is " + view.status()
                    + "; it has no compensation (or confirmation) that failed every attempt.");
        }
    }

    /**
     * Records the retry as an operator action for the replica that owns the order, whichever replica this is, and
     * answers 202 once Kafka has it: that replica carries it out, once, and the order shows the outcome.
     *
     * @throws ApiProblem 503 not confirmed, when Kafka did not confirm the action within {@code api.accept-timeout}
     */
    public void recordRetryCompensation(Exchange exchange) {
        String orderId = exchange.getMessage().getHeader(ApiParameters.ORDER_ID, String.class);
        OperatorAction action = OperatorAction.requested(OperatorActionKind.RETRY_COMPENSATION, orderId,
                clock.instant(), replicaId);
        try {
            operatorActions.record(action).get(limits.acceptTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw actionNotConfirmed();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Operator action {} on order {} not confirmed as recorded within {}: {}", action.actionId(),
                    orderId, limits.acceptTimeout(), e.getMessage());
            throw actionNotConfirmed();
        }
        try (SagaMdc ignored = SagaMdc.forSaga(orderId)) {
            LOG.info("Operator action {} ({}) on order {} recorded, for the replica that drives it",
                    action.actionId(), action.kind().wireName(), orderId);
        }
        writeJson(exchange, 202, OperatorActionReceipt.of(action));
        exchange.getMessage().setHeader(ApiHeaders.LOCATION, location(orderId));
    }

    /** The action may still have been recorded: a second one then finds nothing left to retry, or retries once more. */
    private static ApiProblem actionNotConfirmed() {
        return new ApiProblem(ProblemType.NOT_CONFIRMED, "The request could not be confirmed as recorded. Look at "
                + "the order: if it is still COMPENSATION_FAILED after a while, send the request again.");
    }

    /**
     * Answers a placed order: {@code 202} with the view at once, or, with {@code Prefer: wait=N}, {@code 201} with the
     * final view if the saga ends within N seconds (capped), {@code 202} if not. The processor is asynchronous,
     * but camel-undertow's consumer blocks its worker thread until the exchange is done.
     */
    public AsyncProcessor answerPlacedOrder() {
        return new AsyncProcessorSupport() {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                String orderId = exchange.getMessage().getHeader(MessageHeaders.ORDER_ID, String.class);
                String idempotencyKey = idempotencyKey(exchange.getMessage().getHeader(ApiHeaders.IDEMPOTENCY_KEY,
                        String.class));
                int waitSeconds = preferredWait(exchange.getMessage().getHeader(ApiHeaders.PREFER, String.class));
                Optional<CompletableFuture<OrderView>> ended = orders.whenSagaEnded(orderId);
                if (waitSeconds == 0 || ended.isEmpty()) {
                    answerPlaced(exchange, orderId, idempotencyKey, null, 0);
                    callback.done(true);
                    return true;
                }
                ended.get().copy().completeOnTimeout(null, waitSeconds, TimeUnit.SECONDS)
                        .whenComplete((finalView, error) -> {
                            answerPlaced(exchange, orderId, idempotencyKey, finalView, waitSeconds);
                            callback.done(false);
                        });
                return false;
            }
        };
    }

    public void getOrder(Exchange exchange) {
        String orderId = exchange.getMessage().getHeader(ApiParameters.ORDER_ID, String.class);
        OrderView view = orders.view(orderId).orElseThrow(
                () -> new ApiProblem(ProblemType.NOT_FOUND, "No order with id " + orderId + " is known."));
        writeJson(exchange, 200, view);
    }

    public void listOrders(Exchange exchange) {
        Message in = exchange.getMessage();
        OrderStatus status = null;
        String statusParam = in.getHeader(ApiParameters.STATUS, String.class);
        if (statusParam != null && !statusParam.isBlank()) {
            try {
                status = OrderStatus.valueOf(statusParam.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ApiProblem(ProblemType.INVALID_QUERY,
                        "status must be one of PENDING, APPROVED, REJECTED, COMPENSATION_FAILED",
                        List.of(new ApiProblem.FieldError(ApiParameters.STATUS, "unknown status " + statusParam)));
            }
        }
        int limit = limits.defaultListLimit();
        String limitParam = in.getHeader(ApiParameters.LIMIT, String.class);
        if (limitParam != null && !limitParam.isBlank()) {
            try {
                limit = Integer.parseInt(limitParam.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > limits.maxListLimit()) {
                throw new ApiProblem(ProblemType.INVALID_QUERY, "limit must be between 1 and " + limits.maxListLimit(),
                        List.of(new ApiProblem.FieldError(ApiParameters.LIMIT, "out of range: " + limitParam)));
            }
        }
        writeJson(exchange, 200, orders.recent(status, limit));
    }

    /**
     * The flow versions with sagas to finish: for each, whether this replica knows it, whether new orders start on
     * it, and how many of its sagas have not ended. A version with none left, on every replica, can be deleted.
     */
    public void listFlows(Exchange exchange) {
        writeJson(exchange, 200, flows.report());
    }

    /** Writes the exception the route caught as problem details; a bug gets a 500 that tells nothing internal. */
    public static void writeProblem(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ApiProblem problem;
        if (caught instanceof ApiProblem apiProblem) {
            problem = apiProblem;
        } else {
            LOG.error("Unexpected failure answering {}", exchange.getMessage().getHeader(Exchange.HTTP_URI), caught);
            problem = new ApiProblem(ProblemType.INTERNAL_ERROR, "The request could not be handled.");
        }
        Message out = exchange.getMessage();
        String instance = out.getHeader(Exchange.HTTP_URI, String.class);
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        out.setHeader(Exchange.CONTENT_TYPE, ProblemDetails.MEDIA_TYPE);
        if (problem.status() == 401) {
            out.setHeader(ApiHeaders.WWW_AUTHENTICATE, ApiHeaders.BEARER_CHALLENGE);
        } else if (problem.status() == 503) {
            out.setHeader(ApiHeaders.RETRY_AFTER, Integer.toString(ApiHeaders.RETRY_AFTER_SECONDS));
        }
        out.setBody(Json.write(ProblemDetails.of(problem, instance)));
    }

    public static void writeJson(Exchange exchange, int status, Object body) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, JSON);
        out.setBody(Json.write(body));
    }

    /** Writes the answer, or hands the route's problem handler the problem that stands in for it. */
    private void answerPlaced(Exchange exchange, String orderId, String idempotencyKey, OrderView finalView,
                              int waitedSeconds) {
        try {
            writePlaced(exchange, orderId, idempotencyKey, finalView, waitedSeconds);
        } catch (ApiProblem problem) {
            exchange.setException(problem);
        }
    }

    /**
     * A repeat with an Idempotency-Key whose order has left the ended orders kept in memory is answered with what is
     * remembered of it: its id, status and reason.
     *
     * @throws ApiProblem 503 not confirmed, when the order is not shown any more (its record was lost from the store,
     *                    as when a broker that kept no data restarted): the client repeats with its Idempotency-Key
     */
    private void writePlaced(Exchange exchange, String orderId, String idempotencyKey, OrderView finalView,
                             int waitedSeconds) {
        OrderView view = finalView != null ? finalView
                : orders.viewOfKeyHolder(idempotencyKey, orderId).orElseThrow(OrderApi::notConfirmed);
        writeJson(exchange, finalView != null ? 201 : 202, view);
        exchange.getMessage().setHeader(ApiHeaders.LOCATION, location(orderId));
        if (waitedSeconds > 0) {
            exchange.getMessage().setHeader(ApiHeaders.PREFERENCE_APPLIED, "wait=" + waitedSeconds);
        }
    }

    private static String location(String orderId) {
        return ORDERS_PATH + "/" + orderId;
    }

    private OrderPlacement.Placement awaitPlaced(Supplier<CompletableFuture<OrderPlacement.Placement>> placing) {
        try {
            return placing.get().get(limits.acceptTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IdempotencyKeyReusedException e) {
            throw new ApiProblem(ProblemType.IDEMPOTENCY_KEY_REUSED, e.getMessage());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IdempotencyKeyReusedException reused) {
                throw new ApiProblem(ProblemType.IDEMPOTENCY_KEY_REUSED, reused.getMessage());
            }
            LOG.warn("An order could not be recorded: {}", e.getCause().getMessage());
            throw notConfirmed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notConfirmed();
        } catch (TimeoutException e) {
            LOG.warn("An order was not confirmed as recorded within {}", limits.acceptTimeout());
            throw notConfirmed();
        }
    }

    /**
     * Kafka did not confirm the order in time. It may still have been recorded (an acknowledgement can be lost), and
     * then its saga runs: only a repeat with the same Idempotency-Key can tell, and never places it twice.
     */
    private static ApiProblem notConfirmed() {
        return new ApiProblem(ProblemType.NOT_CONFIRMED, "The order could not be confirmed as recorded. Send the "
                + "request again with the same Idempotency-Key: it answers with the order if it was recorded, and places it "
                + "once if not.");
    }

    private static String idempotencyKey(String header) {
        if (header == null) {
            return null;
        }
        String key = header.trim();
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw new ApiProblem(ProblemType.INVALID_IDEMPOTENCY_KEY, "Idempotency-Key must have 1 to "
                    + MAX_IDEMPOTENCY_KEY_LENGTH + " characters",
                    List.of(new ApiProblem.FieldError(ApiHeaders.IDEMPOTENCY_KEY,
                            "must have 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters")));
        }
        return key;
    }

    private static String sha256(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
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
