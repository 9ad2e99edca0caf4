package dev.ordersaga.participants;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;

import org.apache.kafka.clients.producer.Producer;

import dev.ordersaga.messaging.Participant;

/**
 * The four reference participants with their demo data, as read from config:
 * stock as {@code SKU:available:unitPrice,...}, credit limits as {@code token:limit,...}, declined cards as
 * {@code token,...}.
 */
public final class ReferenceParticipants {

    private final OrderService orders = new OrderService();
    private final InventoryService inventory;
    private final PaymentService payments;
    private final NotificationService notifications;
    private final List<IdempotentParticipant> participants;
    private final List<ParticipantCommandProcessor> processors;

    /**
     * @param ledgers each participant's ledger ({@link ParticipantLedger#NONE} for state that lives with the process)
     * @param replies the producer the participants answer with
     * @param replySender the thread that sends the replies, in the order their records became durable
     */
    public ReferenceParticipants(String stock, String creditLimits, String declinedCards, String flakyMailDomain,
                                 int flakyMailFailures, Function<Participant, ParticipantLedger> ledgers,
                                 Producer<String, byte[]> replies, Executor replySender, Clock clock) {
        this.inventory = new InventoryService(parseStock(stock));
        this.payments = new PaymentService(parseLimits(creditLimits), parseList(declinedCards));
        this.notifications = new NotificationService(flakyMailDomain, flakyMailFailures, clock);
        this.participants = List.of(orders, inventory, payments, notifications).stream()
                .map(rules -> new IdempotentParticipant(rules, ledgers.apply(rules.participant()), clock))
                .toList();
        this.processors = participants.stream().map(p -> new ParticipantCommandProcessor(p, replies, replySender)).toList();
    }

    /** Rebuilds every participant's state from its ledger; returns how many commands were replayed. */
    public int replayLedgers() {
        return participants.stream().mapToInt(IdempotentParticipant::replayLedger).sum();
    }

    /** How many repeated commands each participant answered from memory, applying nothing, by service name. */
    public Map<String, Long> repeatsAnswered() {
        Map<String, Long> repeats = new LinkedHashMap<>();
        participants.forEach(participant -> repeats.put(participant.serviceName(), participant.repeatsAnswered()));
        return repeats;
    }

    public List<ParticipantCommandProcessor> commandProcessors() {
        return processors;
    }

    public OrderService orders() {
        return orders;
    }

    public InventoryService inventory() {
        return inventory;
    }

    public PaymentService payments() {
        return payments;
    }

    public NotificationService notifications() {
        return notifications;
    }

    static List<InventoryService.StockItem> parseStock(String spec) {
        return parseList(spec).stream().map(entry -> {
            String[] parts = entry.split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException("stock entry must be SKU:available:unitPrice, was '" + entry + "'");
            }
            return new InventoryService.StockItem(parts[0], Integer.parseInt(parts[1]), new BigDecimal(parts[2]));
        }).toList();
    }

    static Map<String, BigDecimal> parseLimits(String spec) {
        Map<String, BigDecimal> limits = new LinkedHashMap<>();
        for (String entry : parseList(spec)) {
            String[] parts = entry.split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("credit limit entry must be token:limit, was '" + entry + "'");
            }
            limits.put(parts[0], new BigDecimal(parts[1]));
        }
        return limits;
    }

    static Set<String> parseList(String spec) {
        Set<String> entries = new LinkedHashSet<>();
        if (spec != null) {
            Arrays.stream(spec.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(entries::add);
        }
        return entries;
    }
}
