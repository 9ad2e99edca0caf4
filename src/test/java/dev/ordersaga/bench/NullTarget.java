package dev.ordersaga.bench;

/**
 * A saga that ends the moment it starts: the load generator alone, to see what the harness itself costs and how
 * closely it keeps to its schedule on this machine ({@code --targets null}).
 */
final class NullTarget implements SagaTarget {

    @Override
    public String name() {
        return "null";
    }

    @Override
    public void start(Outcome outcome) {
        outcome.ok();
    }

    @Override
    public void close() {
    }
}
