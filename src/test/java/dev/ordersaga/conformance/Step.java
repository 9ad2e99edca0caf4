package dev.ordersaga.conformance;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import dev.ordersaga.domain.OrderLine;

/**
 * One command of a scenario and the answer it must get. Commands name their order by a label ({@code "a"}), which
 * stands for a fresh order id in each run; the same command to the same label is a repeat (the same correlation id):
 * it is sent again exactly as first sent, and must get the first answer again. A command the flows do not declare is
 * sent as such (an unsupported command); a step without an order spec sends a command without its order.
 *
 * @param reasonCode     the code a FAILURE must carry; null: any
 * @param headersDisagree the command's headers name another correlation id and command type than its body: the
 *                        reply must carry the body's (the body is authoritative)
 */
record Step(String command, String order, OrderSpec spec, Expect expect, String reasonCode, boolean headersDisagree) {

    /** What the answer must be. */
    enum Expect {
        SUCCESS, FAILURE, ANY_ANSWER,
        /** the first answer to the same command, again */
        FIRST_ANSWER,
        /** none: the record cannot be answered and is skipped */
        NO_ANSWER
    }

    /** Stands for a record whose value is not JSON, sent with the contract's headers. */
    static final String UNPARSEABLE = "(not JSON)";
    /** What an order of a step holds: its lines ({@code SKU:quantity:unitPrice}), card and currency. */
    record OrderSpec(List<OrderLine> lines, String cardToken, String currency) {

        static final String CURRENCY = "EUR";
        /** Stands for an order that cannot be read as one: its items are not a list. */
        static final OrderSpec UNREADABLE = new OrderSpec(List.of(), null, null);

        static OrderSpec of(String cardToken, String... lines) {
            return new OrderSpec(parse(lines), cardToken, CURRENCY);
        }

        static OrderSpec lines(String... lines) {
            return of(ParticipantCases.CARD, lines);
        }

        OrderSpec in(String otherCurrency) {
            return new OrderSpec(lines, cardToken, otherCurrency);
        }

        BigDecimal total() {
            return lines.stream().map(OrderLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        private static List<OrderLine> parse(String... lines) {
            List<OrderLine> parsed = new ArrayList<>();
            for (String line : lines) {
                String[] parts = line.split(":");
                parsed.add(new OrderLine(parts[0], Integer.parseInt(parts[1]), new BigDecimal(parts[2])));
            }
            return parsed;
        }
    }

    static Step succeeds(String command, String order, OrderSpec spec) {
        return new Step(command, order, spec, Expect.SUCCESS, null, false);
    }

    static Step fails(String command, String order, OrderSpec spec, String reasonCode) {
        return new Step(command, order, spec, Expect.FAILURE, reasonCode, false);
    }

    /** A FAILURE with whatever code the participant gives. */
    static Step refused(String command, String order, OrderSpec spec) {
        return new Step(command, order, spec, Expect.FAILURE, null, false);
    }

    /** Any answer: what it was is checked by the repeat that follows. */
    static Step answered(String command, String order, OrderSpec spec) {
        return new Step(command, order, spec, Expect.ANY_ANSWER, null, false);
    }

    /** The same command as an earlier step, sent again: it must get the first answer again. */
    static Step again(String command, String order) {
        return new Step(command, order, null, Expect.FIRST_ANSWER, null, false);
    }

    /** A command whose headers disagree with its body, which the answer must follow. */
    static Step withHeadersDisagreeing(String command, String order, OrderSpec spec) {
        return new Step(command, order, spec, Expect.ANY_ANSWER, null, true);
    }

    /** A record that is not JSON, with the headers of a command to this order: it must be skipped. */
    static Step unparseable(String order) {
        return new Step(UNPARSEABLE, order, null, Expect.NO_ANSWER, null, false);
    }

    String expected() {
        return switch (expect) {
            case SUCCESS -> "SUCCESS";
            case FAILURE -> "FAILURE" + (reasonCode == null ? "" : " " + reasonCode);
            case ANY_ANSWER -> "an answer";
            case FIRST_ANSWER -> "its first answer again";
            case NO_ANSWER -> "no answer";
        };
    }
}
