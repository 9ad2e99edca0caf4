package dev.ordersaga.api;

/** The path and query parameters of the order API, named once for the routes, OrderApi and the OpenAPI document. */
public final class ApiParameters {

    public static final String ORDER_ID = "orderId";
    public static final String STATUS = "status";
    public static final String LIMIT = "limit";

    private ApiParameters() {
    }
}
