package dev.ordersaga.participants;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.messaging.Command;

/**
 * payment-service: holds on card tokens against each card's credit limit. A hold is refused for a declined or unknown
 * card, for an order in another currency than the cards' (their limits are in it, and amounts of two currencies do not
 * add up), and when the card's amounts held now plus the order total would pass its limit: the limit is cumulative, a
 * released hold gives its amount back.
 */
public final class PaymentService implements ParticipantRules {

    /** cardToken:creditLimit,... */
    static final String CREDIT_LIMITS = "participants.payment.credit-limits";
    /** cardToken,... */
    static final String DECLINED_CARDS = "participants.payment.declined-cards";
    /** The ISO 4217 code of every card's credit limit. */
    static final String CURRENCY = "participants.payment.currency";

    public enum HoldStatus { HELD, RELEASED }

    public record Hold(String orderId, String cardToken, BigDecimal amount, String currency, HoldStatus status) {
    }

    private final Map<String, BigDecimal> creditLimits;
    private final Set<String> declinedCards;
    private final String currency;
    private final Map<String, Hold> holdsByOrder = new LinkedHashMap<>();
    private final Map<String, BigDecimal> heldByCard = new HashMap<>();

    public PaymentService(Map<String, BigDecimal> creditLimits, Set<String> declinedCards, String currency) {
        this.creditLimits = Map.copyOf(creditLimits);
        this.declinedCards = Set.copyOf(declinedCards);
        this.currency = currency;
    }

    public PaymentService(ParticipantSettings settings) {
        this(creditLimits(settings.string(CREDIT_LIMITS)),
                DemoData.entries(settings.optional(DECLINED_CARDS).orElse("")), settings.string(CURRENCY));
    }

    private static Map<String, BigDecimal> creditLimits(String spec) {
        Map<String, BigDecimal> limits = new LinkedHashMap<>();
        for (String entry : DemoData.entries(spec)) {
            String[] parts = DemoData.parts(entry, 2, CREDIT_LIMITS, "cardToken:creditLimit");
            limits.put(parts[0], new BigDecimal(parts[1]));
        }
        return limits;
    }

    @Override
    public String participant() {
        return "payment-service";
    }

    @Override
    public Optional<DemoView> demoView() {
        return Optional.of(new DemoView("payments", this::view));
    }

    @Override
    public synchronized Decision apply(CommandType type, Command command) {
        String card = command.order().cardToken();
        BigDecimal amount = command.order().total();
        if (declinedCards.contains(card)) {
            return Decision.refused("card-declined", "card declined");
        }
        BigDecimal limit = creditLimits.get(card);
        if (limit == null) {
            return Decision.refused("unknown-card", "unknown card token");
        }
        if (!currency.equals(command.order().currency())) {
            return Decision.refused("currency-not-accepted", "cards are held in " + currency + ", the order is in "
                    + command.order().currency());
        }
        BigDecimal held = heldByCard.getOrDefault(card, BigDecimal.ZERO);
        if (held.add(amount).compareTo(limit) > 0) {
            return Decision.refused("credit-limit-exceeded", "credit limit exceeded: " + held.add(amount).toPlainString() + " > "
                    + limit.toPlainString());
        }
        String orderId = command.order().orderId();
        holdsByOrder.put(orderId, new Hold(orderId, card, amount, command.order().currency(), HoldStatus.HELD));
        heldByCard.merge(card, amount, BigDecimal::add);
        return Decision.done();
    }

    @Override
    public synchronized Decision compensate(CommandType type, Command command) {
        Hold hold = holdsByOrder.get(command.order().orderId());
        if (hold == null || hold.status() == HoldStatus.RELEASED) {
            return Decision.done("nothing held");
        }
        heldByCard.merge(hold.cardToken(), hold.amount().negate(), BigDecimal::add);
        holdsByOrder.put(hold.orderId(), new Hold(hold.orderId(), hold.cardToken(), hold.amount(), hold.currency(),
                HoldStatus.RELEASED));
        return Decision.done();
    }

    public synchronized List<Hold> view() {
        return List.copyOf(holdsByOrder.values());
    }
}
