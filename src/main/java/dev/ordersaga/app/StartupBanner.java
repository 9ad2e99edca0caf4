package dev.ordersaga.app;

import org.apache.camel.CamelContext;

/** Tells the person who started the application where it listens, and how to place a first order. */
final class StartupBanner {

    private StartupBanner() {
    }

    static void print(CamelContext camel, ApplicationAssembly assembly) {
        String port = camel.getPropertiesComponent().resolveProperty("api.port").orElse("8080");
        String base = "http://localhost:" + port;
        StringBuilder banner = new StringBuilder("\n");
        String roles = assembly.orchestrator() == null ? "reference participants"
                : assembly.participants() == null ? "orchestrator" : "orchestrator and reference participants";
        banner.append("Order saga ").append(roles).append(" running (Kafka at ").append(assembly.bootstrapServers())
                .append(")\n");
        if (assembly.orchestrator() != null) {
            banner.append("  Order API:  ").append(base).append("/api/orders\n");
            banner.append("  OpenAPI:    ").append(base).append("/api/openapi.json\n");
        }
        String management = "http://localhost:"
                + camel.getPropertiesComponent().resolveProperty("management.port").orElse("9876");
        banner.append("  Health:     ").append(management).append("/observe/health/ready\n");
        banner.append("  Metrics:    ").append(management).append("/observe/metrics   Jolokia (Hawtio): ")
                .append(management).append("/observe/jolokia\n");
        if (assembly.participants() != null) {
            banner.append("  Demo views: ").append(base).append("/demo/inventory  /demo/payments  /demo/emails  /demo/orders\n");
        }
        if (assembly.orchestrator() != null) {
            banner.append("Place an order and wait up to 5 s for its outcome:\n");
            banner.append("  curl -s -i -X POST ").append(base).append("/api/orders \\\n")
                    .append("    -H 'Content-Type: application/json' -H 'Prefer: wait=5' \\\n")
                    .append("    -d '{\"customerId\":\"c-1\",\"customerEmail\":\"ada@example.com\",\"currency\":\"EUR\",")
                    .append("\"items\":[{\"sku\":\"BOOK-42\",\"quantity\":2,\"unitPrice\":\"12.50\"}],")
                    .append("\"payment\":{\"cardToken\":\"tok_visa\"}}'\n");
        }
        System.out.println(banner);
    }
}
