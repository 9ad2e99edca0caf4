package dev.ordersaga.orders;

import java.util.List;

/** What GET /api/flows answers: every flow version with sagas to finish, and those this replica knows. */
public record FlowVersionsReport(List<FlowVersionsInUse.VersionInUse> flows) {
}
