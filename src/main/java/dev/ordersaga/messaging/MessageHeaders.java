package dev.ordersaga.messaging;

/** The Kafka record headers of the messaging contract (values are UTF-8 strings). */
public final class MessageHeaders {

    public static final String SAGA_ID = "saga-id";
    public static final String CORRELATION_ID = "correlation-id";
    public static final String COMMAND_TYPE = "command-type";
    public static final String REPLY_TO = "reply-to";
    /** Inside the orchestrator only: the order an exchange works on (also a saga option). */
    public static final String ORDER_ID = "order-id";
    /** Inside the orchestrator only: why a saga is being compensated, on compensation exchanges. */
    public static final String COMPENSATION_REASON = "compensation-reason";

    private MessageHeaders() {
    }
}
