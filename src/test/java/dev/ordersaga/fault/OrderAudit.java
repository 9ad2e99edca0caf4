package dev.ordersaga.fault;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The audit of a run: every order placed must end APPROVED or REJECTED, and the participants' state (their /demo
 * views) must match the outcomes exactly: for an approved order one hold of its total, one confirmation email and
 * an approved order record, its items taken from the stock; for a rejected one no hold left, a rejection email and
 * a cancelled order record (or none); no effect applied twice; stock never negative.
 */
final class OrderAudit {

    private static final Duration POLL = Duration.ofMillis(500);

    /** What the audit found. */
    record Findings(int approved, int rejected, int stuck, int inconsistent, int duplicates,
                    Set<String> ordersSeenByParticipants, List<String> violations) {
    }

    private final OrderClient client;

    OrderAudit(OrderClient client) {
        this.client = client;
    }

    /**
     * Waits until the saga of every order has ended, as {@code api} sees them, or the timeout passes.
     *
     * @return the last answer for every order the API knows, ended or not
     */
    Map<String, JsonNode> awaitFinal(Collection<String> orderIds, AppProcess api, Duration timeout)
            throws IOException, InterruptedException {
        Map<String, JsonNode> finalOrders = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> open = new ArrayList<>(orderIds);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            List<String> stillOpen = new ArrayList<>();
            for (String orderId : open) {
                JsonNode order = client.get(api.baseUrl() + "/api/orders/" + orderId);
                boolean ended = order != null && order.get("sagaFinished").asBoolean()
                        && !order.get("status").asText().equals("PENDING");
                if (!ended) {
                    stillOpen.add(orderId);
                }
                if (order != null) {
                    finalOrders.put(orderId, order);
                }
            }
            open = stillOpen;
            if (!open.isEmpty()) {
                AppProcess.sleepQuietly(POLL);
            }
        }
        return finalOrders;
    }

    /**
     * Audits the orders against the participants' views, read now from {@code participants}.
     *
     * @param orderIds    every order a client was given an id for
     * @param finalOrders the orders as the API answers them at the end (see {@link #awaitFinal})
     */
    Findings audit(Collection<String> orderIds, Map<String, JsonNode> finalOrders, AppProcess participants)
            throws IOException, InterruptedException {
        JsonNode inventory = client.get(participants.baseUrl() + "/demo/inventory");
        JsonNode payments = client.get(participants.baseUrl() + "/demo/payments");
        JsonNode emails = client.get(participants.baseUrl() + "/demo/emails");
        JsonNode orderRecords = client.get(participants.baseUrl() + "/demo/orders");

        List<String> violations = new ArrayList<>();
        int approved = 0;
        int rejected = 0;
        int stuck = 0;
        int inconsistent = 0;
        int duplicates = 0;
        Map<String, Integer> soldBySku = new HashMap<>();
        Map<String, List<JsonNode>> holdsByOrder = group(payments);
        Map<String, List<JsonNode>> emailsByOrder = group(emails);
        Map<String, List<JsonNode>> recordsByOrder = group(orderRecords);
        for (String orderId : orderIds) {
            JsonNode order = finalOrders.get(orderId);
            String status = order == null ? "MISSING" : order.get("status").asText();
            List<JsonNode> holds = holdsByOrder.getOrDefault(orderId, List.of());
            List<JsonNode> mails = emailsByOrder.getOrDefault(orderId, List.of());
            List<JsonNode> records = recordsByOrder.getOrDefault(orderId, List.of());
            if (holds.size() > 1 || mails.size() > 1 || records.size() > 1) {
                duplicates++;
                violations.add(orderId + " has " + holds.size() + " holds, " + mails.size() + " emails, "
                        + records.size() + " order records");
                continue;
            }
            long held = holds.stream().filter(h -> h.get("status").asText().equals("HELD")).count();
            String mailKind = mails.isEmpty() ? "NONE" : mails.get(0).get("kind").asText();
            String record = records.isEmpty() ? "NONE" : records.get(0).get("status").asText();
            boolean consistent;
            if (status.equals("APPROVED")) {
                approved++;
                order.get("items").forEach(line -> soldBySku.merge(line.get("sku").asText(),
                        line.get("quantity").asInt(), Integer::sum));
                consistent = held == 1 && new BigDecimal(holds.get(0).get("amount").asText())
                        .compareTo(new BigDecimal(order.get("total").asText())) == 0
                        && mailKind.equals("CONFIRMATION") && record.equals("APPROVED");
            } else if (status.equals("REJECTED")) {
                rejected++;
                consistent = held == 0 && mailKind.equals("REJECTION")
                        && (record.equals("CANCELLED") || record.equals("NONE"));
            } else {
                stuck++;
                violations.add(orderId + " is " + status);
                continue;
            }
            if (!consistent) {
                inconsistent++;
                violations.add(orderId + " " + status + " but holds HELD=" + held + ", email " + mailKind
                        + ", order record " + record);
            }
        }
        for (JsonNode item : inventory) {
            String sku = item.get("sku").asText();
            int sold = soldBySku.getOrDefault(sku, 0);
            int stock = OrderMix.STOCK.get(sku);
            if (item.get("available").asInt() != stock - sold || item.get("reserved").asInt() != sold
                    || item.get("available").asInt() < 0) {
                inconsistent++;
                violations.add(sku + ": available " + item.get("available") + ", reserved " + item.get("reserved")
                        + ", but " + sold + " sold of " + stock);
            }
        }
        Set<String> known = new HashSet<>(recordsByOrder.keySet());
        known.addAll(holdsByOrder.keySet());
        known.addAll(emailsByOrder.keySet());
        return new Findings(approved, rejected, stuck, inconsistent, duplicates, known, violations);
    }

    private static Map<String, List<JsonNode>> group(JsonNode entries) {
        Map<String, List<JsonNode>> byOrder = new HashMap<>();
        entries.forEach(entry -> byOrder.computeIfAbsent(entry.get("orderId").asText(), id -> new ArrayList<>())
                .add(entry));
        return byOrder;
    }
}
