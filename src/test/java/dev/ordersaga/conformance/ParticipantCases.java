package dev.ordersaga.conformance;

import static dev.ordersaga.conformance.Step.again;
import static dev.ordersaga.conformance.Step.fails;
import static dev.ordersaga.conformance.Step.refused;
import static dev.ordersaga.conformance.Step.succeeds;

import java.util.List;
import java.util.Map;

import dev.ordersaga.conformance.Step.OrderSpec;

/**
 * Each participant's business cases, in one place: what its commands must answer for the contract's test data
 * (docs/messaging-contract.md, section 8), and how its restart is seen from outside. The checks every participant
 * shares (repeats, undo before do, bad input) are derived from the flow declaration by {@link ContractScenarios}.
 * A participant under test runs with the test data and no other traffic: the cases count on its stock and limits.
 */
final class ParticipantCases {

    /** The test data's card with a high limit (10000.00), and the one with 50.00 (cumulative). */
    static final String CARD = "tok_visa";
    static final String LOW_CARD = "tok_low";

    /** The cases of one participant. */
    record Cases(OrderSpec validOrder, List<Scenario> business, Scenario restart) {
    }

    private static final OrderSpec BOOK = OrderSpec.lines("BOOK-42:1:12.50");

    static final Map<String, Cases> BY_PARTICIPANT = Map.of(
            "payment-service", payment(),
            "inventory-service", inventory(),
            "order-service", orders(),
            "notification-service", notification());

    private ParticipantCases() {
    }

    private static Cases payment() {
        OrderSpec thirty = OrderSpec.of(LOW_CARD, "BOOK-42:1:30.00");
        OrderSpec twenty = OrderSpec.of(LOW_CARD, "BOOK-42:1:20.00");
        OrderSpec fifty = OrderSpec.of(LOW_CARD, "BOOK-42:1:50.00");
        OrderSpec cent = OrderSpec.of(LOW_CARD, "BOOK-42:1:0.01");
        return new Cases(OrderSpec.of(CARD, "BOOK-42:2:12.50"), List.of(
                Scenario.of("a hold within the limit is taken and released",
                        succeeds("HoldPayment", "a", OrderSpec.of(CARD, "BOOK-42:2:12.50")),
                        succeeds("ReleasePayment", "a", OrderSpec.of(CARD, "BOOK-42:2:12.50"))),
                Scenario.of("a declined card is refused card-declined",
                        fails("HoldPayment", "a", OrderSpec.of("tok_declined", "BOOK-42:1:12.50"), "card-declined")),
                Scenario.of("an unknown card is refused unknown-card",
                        fails("HoldPayment", "a", OrderSpec.of("tok_nobody_has", "BOOK-42:1:12.50"), "unknown-card")),
                Scenario.of("an order in another currency is refused currency-not-accepted",
                        fails("HoldPayment", "a", OrderSpec.of(CARD, "BOOK-42:1:12.50").in("USD"),
                                "currency-not-accepted")),
                Scenario.of("a total over the card's limit is refused credit-limit-exceeded",
                        fails("HoldPayment", "a", OrderSpec.of(LOW_CARD, "BOOK-42:1:50.01"),
                                "credit-limit-exceeded")),
                Scenario.of("the limit is cumulative, a repeat holds nothing twice, a release gives the amount back",
                        succeeds("HoldPayment", "a", thirty),
                        again("HoldPayment", "a"),
                        succeeds("HoldPayment", "b", twenty),
                        fails("HoldPayment", "c", cent, "credit-limit-exceeded"),
                        succeeds("ReleasePayment", "a", thirty),
                        again("ReleasePayment", "a"),
                        succeeds("HoldPayment", "d", thirty),
                        succeeds("ReleasePayment", "b", twenty),
                        succeeds("ReleasePayment", "d", thirty)),
                Scenario.of("a release of nothing gives no credit back",
                        succeeds("HoldPayment", "a", fifty),
                        succeeds("ReleasePayment", "n", fifty),
                        fails("HoldPayment", "c", cent, "credit-limit-exceeded"),
                        succeeds("ReleasePayment", "a", fifty))),
                Scenario.acrossRestart("a hold outlives the restart",
                        List.of(succeeds("HoldPayment", "r", thirty)),
                        List.of(fails("HoldPayment", "x", OrderSpec.of(LOW_CARD, "BOOK-42:1:20.01"),
                                        "credit-limit-exceeded"),
                                succeeds("ReleasePayment", "r", thirty))));
    }

    private static Cases inventory() {
        OrderSpec allMugs = OrderSpec.lines("MUG-7:20:8.00");
        OrderSpec oneMug = OrderSpec.lines("MUG-7:1:8.00");
        return new Cases(BOOK, List.of(
                Scenario.of("a reservation of stock there is is taken and released",
                        succeeds("ReserveInventory", "a", OrderSpec.lines("BOOK-42:2:12.50")),
                        succeeds("ReleaseInventory", "a", OrderSpec.lines("BOOK-42:2:12.50"))),
                Scenario.of("an item out of stock is refused out-of-stock",
                        fails("ReserveInventory", "a", OrderSpec.lines("LAMP-3:1:30.00"), "out-of-stock")),
                Scenario.of("an unknown SKU is refused unknown-sku",
                        fails("ReserveInventory", "a", OrderSpec.lines("NO-SUCH-SKU:1:1.00"), "unknown-sku")),
                Scenario.of("a reservation is all or nothing",
                        fails("ReserveInventory", "a", OrderSpec.lines("BOOK-42:100:12.50", "LAMP-3:1:30.00"),
                                "out-of-stock"),
                        succeeds("ReserveInventory", "b", OrderSpec.lines("BOOK-42:100:12.50")),
                        succeeds("ReleaseInventory", "b", OrderSpec.lines("BOOK-42:100:12.50"))),
                Scenario.of("a repeat reserves nothing twice, a release gives the stock back",
                        succeeds("ReserveInventory", "a", allMugs),
                        again("ReserveInventory", "a"),
                        fails("ReserveInventory", "b", oneMug, "out-of-stock"),
                        succeeds("ReleaseInventory", "a", allMugs),
                        again("ReleaseInventory", "a"),
                        succeeds("ReserveInventory", "c", allMugs),
                        succeeds("ReleaseInventory", "c", allMugs)),
                Scenario.of("a release of nothing gives no stock back",
                        succeeds("ReserveInventory", "a", allMugs),
                        succeeds("ReleaseInventory", "n", allMugs),
                        fails("ReserveInventory", "b", oneMug, "out-of-stock"),
                        succeeds("ReleaseInventory", "a", allMugs))),
                Scenario.acrossRestart("a reservation outlives the restart",
                        List.of(succeeds("ReserveInventory", "r", allMugs)),
                        List.of(fails("ReserveInventory", "x", oneMug, "out-of-stock"),
                                succeeds("ReleaseInventory", "r", allMugs))));
    }

    private static Cases orders() {
        return new Cases(BOOK, List.of(
                Scenario.of("an order is created PENDING and approved",
                        succeeds("CreateOrder", "a", BOOK),
                        succeeds("ApproveOrder", "a", BOOK)),
                Scenario.of("an order never created cannot be approved",
                        refused("ApproveOrder", "a", BOOK)),
                Scenario.of("a cancelled order cannot be approved",
                        succeeds("CreateOrder", "a", BOOK),
                        succeeds("CancelOrder", "a", BOOK),
                        refused("ApproveOrder", "a", BOOK)),
                Scenario.of("an approved order is cancelled when its saga compensates",
                        succeeds("CreateOrder", "a", BOOK),
                        succeeds("ApproveOrder", "a", BOOK),
                        succeeds("CancelOrder", "a", BOOK))),
                Scenario.acrossRestart("an order outlives the restart",
                        List.of(succeeds("CreateOrder", "r", BOOK)),
                        List.of(succeeds("ApproveOrder", "r", BOOK))));
    }

    private static Cases notification() {
        return new Cases(BOOK, List.of(
                Scenario.of("a confirmation is sent",
                        succeeds("SendOrderConfirmation", "a", BOOK)),
                Scenario.of("a rejection is sent",
                        succeeds("SendOrderRejection", "a", BOOK))),
                Scenario.acrossRestart("nothing more to see from outside", List.of(), List.of()));
    }
}
