package dev.ordersaga.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.ordersaga.flow.CommandType;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.participants.Decision;
import dev.ordersaga.participants.ParticipantRules;

/**
 * fraud-service, the participant {@link OrderSagaV2} adds: it lets every order through but one of customer
 * {@code fraudster}, and remembers which orders it checked ({@code /demo/fraud-checks}), so that an audit can tell
 * which sagas ran version 2.
 */
public final class FraudService implements ParticipantRules {

    private final List<String> checked = new ArrayList<>();

    @Override
    public String participant() {
        return "fraud-service";
    }

    @Override
    public synchronized Decision apply(CommandType type, Command command) {
        checked.add(command.order().orderId());
        return command.order().customerId().equals("fraudster") ? Decision.refused("suspected-fraud", "suspected fraud")
                : Decision.done();
    }

    @Override
    public Decision compensate(CommandType type, Command command) {
        throw new IllegalArgumentException("a check has nothing to undo: " + type);
    }

    @Override
    public Optional<DemoView> demoView() {
        return Optional.of(new DemoView("fraud-checks", this::view));
    }

    private synchronized List<String> view() {
        return List.copyOf(checked);
    }
}
