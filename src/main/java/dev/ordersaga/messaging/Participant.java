package dev.ordersaga.messaging;

/** The services the order saga commands; each has one command topic, named in config as {@link #topicProperty()}. */
public enum Participant {
    ORDER_SERVICE("order-service"),
    INVENTORY_SERVICE("inventory-service"),
    PAYMENT_SERVICE("payment-service"),
    NOTIFICATION_SERVICE("notification-service");

    private final String serviceName;

    Participant(String serviceName) {
        this.serviceName = serviceName;
    }

    public String serviceName() {
        return serviceName;
    }

    /** The config property that names this participant's command topic. */
    public String topicProperty() {
        return "topics." + serviceName + ".commands";
    }

    /** The consumer group of this participant's command consumer: {@code <prefix><service name>}. */
    public String groupId(String prefix) {
        return prefix + serviceName;
    }

    /** Its static member id in that group, in the process whose own instance id is given. */
    public String groupInstanceId(String processInstanceId) {
        return processInstanceId + "-" + serviceName;
    }

    /** The config property that names the topic of this participant's ledger (when it runs durably). */
    public String ledgerTopicProperty() {
        return "topics." + serviceName + ".ledger";
    }
}
