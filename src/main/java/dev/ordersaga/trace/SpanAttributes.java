package dev.ordersaga.trace;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attributes of the project's spans: OpenTelemetry's semantic conventions for messaging and HTTP where they have
 * a name (written out here rather than taken from the incubating semconv artifact), {@code order_saga.*} for the
 * saga's own.
 */
public final class SpanAttributes {

    public static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    public static final AttributeKey<String> MESSAGING_OPERATION = AttributeKey.stringKey("messaging.operation.type");
    public static final AttributeKey<String> MESSAGING_DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    public static final AttributeKey<String> MESSAGING_CONSUMER_GROUP =
            AttributeKey.stringKey("messaging.consumer.group.name");
    /** The record's key: the order id. */
    public static final AttributeKey<String> MESSAGING_KAFKA_KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    /** The command's correlation id, as the messaging conventions name what relates a request and its reply. */
    public static final AttributeKey<String> MESSAGING_CONVERSATION_ID =
            AttributeKey.stringKey("messaging.message.conversation_id");
    public static final String KAFKA = "kafka";
    public static final String SEND = "send";
    public static final String PROCESS = "process";

    public static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    public static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    public static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

    public static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("order_saga.order_id");
    public static final AttributeKey<String> COMMAND_TYPE = AttributeKey.stringKey("order_saga.command_type");
    public static final AttributeKey<String> PARTICIPANT = AttributeKey.stringKey("order_saga.participant");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("order_saga.attempt");
    public static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("order_saga.attempts");
    public static final AttributeKey<String> FLOW = AttributeKey.stringKey("order_saga.flow");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("order_saga.outcome");
    public static final AttributeKey<String> REASON = AttributeKey.stringKey("order_saga.reason");
    public static final AttributeKey<String> STATE = AttributeKey.stringKey("order_saga.state");
    /** On a saga span begun by a replica that took the saga over (after a crash, a restart or a hand-over). */
    public static final AttributeKey<Boolean> RECOVERED = AttributeKey.booleanKey("order_saga.recovered");
    /** On a step span: a compensation's or a completion's command, not a forward step. */
    public static final AttributeKey<String> STEP_ROLE = AttributeKey.stringKey("order_saga.step_role");

    private SpanAttributes() {
    }
}
