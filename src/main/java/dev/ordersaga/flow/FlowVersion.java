package dev.ordersaga.flow;

/** Which declaration of which flow a saga began under: what drives and recovers it, and nothing else. */
public record FlowVersion(String name, int version) {

    public FlowVersion {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A flow needs a name");
        }
        if (version < 1) {
            throw new IllegalArgumentException("A flow's version counts from 1; " + name + " has " + version);
        }
    }

    /** {@code order-saga-v2}: the suffix of every route and node id of this version. */
    public String id() {
        return name + "-v" + version;
    }

    @Override
    public String toString() {
        return name + " v" + version;
    }
}
