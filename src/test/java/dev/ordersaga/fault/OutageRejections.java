package dev.ordersaga.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ordersaga.domain.RejectionReason;

/**
 * The orders an outage rejected: an approvable order (a book, paid with a good card: nothing of the business refuses
 * it) that ended REJECTED, or any order rejected for a reason that is not a business one (not completed in time,
 * could not be completed). An outage shorter than the saga's deadline must reject none.
 *
 * @param brokerAway how long the broker and participants were away: from their kill until they were ready again
 */
record OutageRejections(int approvableRejected, int rejectedForNoBusinessReason, Duration brokerAway,
                        List<String> violations) {

    /** The reasons that come from the business; the others tell of the machinery. */
    private static final Set<RejectionReason> BUSINESS = EnumSet.complementOf(
            EnumSet.of(RejectionReason.NOT_COMPLETED_IN_TIME, RejectionReason.COULD_NOT_BE_COMPLETED));

    static OutageRejections of(Map<String, String> orderIdByKey, Map<String, String> bodyByKey,
                               Map<String, JsonNode> finalOrders, Duration brokerAway) {
        int approvableRejected = 0;
        int noBusinessReason = 0;
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, String> placed : orderIdByKey.entrySet()) {
            JsonNode order = finalOrders.get(placed.getValue());
            if (order == null || !order.get("status").asText().equals("REJECTED")) {
                continue;
            }
            String code = order.path("reasonCode").asText();
            boolean approvable = OrderMix.isApprovable(bodyByKey.get(placed.getKey()));
            boolean business = BUSINESS.stream().anyMatch(reason -> reason.code().equals(code));
            if (approvable) {
                approvableRejected++;
            }
            if (!business) {
                noBusinessReason++;
            }
            if (approvable || !business) {
                violations.add(placed.getValue() + " (" + placed.getKey() + ") REJECTED by the outage: reasonCode "
                        + code + (approvable ? ", though approvable" : ""));
            }
        }
        return new OutageRejections(approvableRejected, noBusinessReason, brokerAway, violations);
    }

    boolean none() {
        return approvableRejected == 0 && rejectedForNoBusinessReason == 0;
    }

    @Override
    public String toString() {
        return "brokerAwayMs=" + (brokerAway == null ? "?" : brokerAway.toMillis())
                + " approvableRejected=" + approvableRejected
                + " rejectedForNoBusinessReason=" + rejectedForNoBusinessReason;
    }
}
