package dev.ordersaga.participants;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.ordersaga.domain.Order;
import dev.ordersaga.domain.OrderLine;
import dev.ordersaga.flow.CommandType;
import dev.ordersaga.messaging.Command;

/**
 * notification-service: renders the customer's email (order lines and total) and delivers it to an outbox that can be
 * read back. Delivery to the configured flaky mail domain fails the first {@code flakyFailures} attempts of each email,
 * as a real mail relay sometimes does; those failures are transient, so the orchestrator's retries get it through.
 */
public final class NotificationService implements ParticipantRules {

    public enum EmailKind { CONFIRMATION, REJECTION }

    public record Email(String orderId, String to, EmailKind kind, String subject, String body, int attempts,
                        Instant deliveredAt) {
    }

    private final String flakyDomain;
    private final int flakyFailures;
    private final Clock clock;
    private final List<Email> outbox = new ArrayList<>();
    private final Map<String, Integer> attemptsByCorrelationId = new HashMap<>();

    public NotificationService(String flakyDomain, int flakyFailures, Clock clock) {
        this.flakyDomain = flakyDomain == null || flakyDomain.isBlank() ? null : flakyDomain.toLowerCase(Locale.ROOT);
        this.flakyFailures = flakyFailures;
        this.clock = clock;
    }

    public NotificationService(ParticipantSettings settings) {
        this(settings.optional("participants.notification.flaky-domain").orElse(null),
                settings.integer("participants.notification.flaky-failures"), settings.clock());
    }

    @Override
    public String participant() {
        return "notification-service";
    }

    @Override
    public Optional<DemoView> demoView() {
        return Optional.of(new DemoView("emails", this::view));
    }

    @Override
    public synchronized Decision apply(CommandType type, Command command) {
        Order order = command.order();
        int attempt = attemptsByCorrelationId.merge(command.correlationId(), 1, Integer::sum);
        if (flakyDomain != null && order.customerEmail().toLowerCase(Locale.ROOT).endsWith("@" + flakyDomain)
                && attempt <= flakyFailures) {
            return Decision.transientFailure("mail relay unavailable (attempt " + attempt + ")");
        }
        attemptsByCorrelationId.remove(command.correlationId());
        return deliver(type, command, attempt);
    }

    /** An email delivered before a restart is in the outbox again, whatever the relay does today. */
    @Override
    public synchronized Decision replay(CommandType type, Command command) {
        return deliver(type, command, 1);
    }

    private Decision deliver(CommandType type, Command command, int attempts) {
        EmailKind kind = type.wireName().equals("SendOrderConfirmation") ? EmailKind.CONFIRMATION
                : EmailKind.REJECTION;
        outbox.add(render(kind, command.order(), command.reason(), attempts));
        return Decision.done();
    }

    @Override
    public Decision compensate(CommandType type, Command command) {
        throw new IllegalArgumentException("an email cannot be unsent: " + type);
    }

    public synchronized List<Email> view() {
        return List.copyOf(outbox);
    }

    private Email render(EmailKind kind, Order order, String reason, int attempts) {
        StringBuilder body = new StringBuilder();
        for (OrderLine line : order.items()) {
            body.append(line.quantity()).append(" x ").append(line.sku()).append(" @ ")
                    .append(line.unitPrice().toPlainString()).append(' ').append(order.currency()).append(" = ")
                    .append(line.amount().toPlainString()).append(' ').append(order.currency())
                    .append(System.lineSeparator());
        }
        body.append("Total: ").append(order.total().toPlainString()).append(' ').append(order.currency()).append('\n');
        String subject;
        if (kind == EmailKind.CONFIRMATION) {
            subject = "Your order " + order.orderId() + " is confirmed";
            body.insert(0, "Thank you for your order. We will ship:\n");
        } else {
            subject = "Your order " + order.orderId() + " could not be completed";
            // the reason is the orchestrator's sentence for the customer (a RejectionReason), never internal text
            body.insert(0, "We are sorry: " + (reason == null ? "your order could not be completed." : reason)
                    + "\nNothing was charged. You ordered:\n");
        }
        return new Email(order.orderId(), order.customerEmail(), kind, subject, body.toString(), attempts,
                clock.instant());
    }
}
