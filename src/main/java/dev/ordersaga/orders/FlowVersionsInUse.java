package dev.ordersaga.orders;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ordersaga.flow.FlowCatalog;
import dev.ordersaga.flow.FlowDeclaration;
import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.saga.UnknownFlowSagas;

/**
 * Which flow versions still have sagas to finish: the answer to "can version 1 be deleted yet?" (when it has none
 * left, on every replica), and to "is a saga waiting for a replica that knows its version?".
 */
public final class FlowVersionsInUse {

    /**
     * One flow version: whether this replica knows it, whether new orders start on it, how many sagas of it have not
     * ended (counted from the orders every replica reads, so the same everywhere), and how many of those this
     * replica leaves alone because it does not know the version.
     */
    public record VersionInUse(String flow, int version, boolean known, boolean newest, long unfinishedSagas,
                               long leftUnknownHere) {
    }

    private final FlowCatalog flows;
    private final OrderBook book;
    private final UnknownFlowSagas unknown;
    private final FlowVersion unversioned;

    /** @param unversioned the version that orders placed before flows had versions run under */
    public FlowVersionsInUse(FlowCatalog flows, OrderBook book, UnknownFlowSagas unknown, FlowVersion unversioned) {
        this.flows = flows;
        this.book = book;
        this.unknown = unknown;
        this.unversioned = unversioned;
    }

    /** Every version this replica knows, then every other version an unfinished order names. */
    public List<VersionInUse> versions() {
        Map<FlowVersion, Long> unfinished = book.unfinishedByFlow(unversioned);
        Map<FlowVersion, Long> leftHere = unknown.byFlow();
        Map<FlowVersion, VersionInUse> versions = new LinkedHashMap<>();
        for (FlowDeclaration declaration : flows.declarations()) {
            FlowVersion version = declaration.version();
            boolean newest = flows.newest(version.name()).version().equals(version);
            versions.put(version, new VersionInUse(version.name(), version.version(), true, newest,
                    unfinished.getOrDefault(version, 0L), 0));
        }
        List<FlowVersion> others = new ArrayList<>(unfinished.keySet());
        others.addAll(leftHere.keySet());
        for (FlowVersion version : others) {
            versions.putIfAbsent(version, new VersionInUse(version.name(), version.version(), false, false,
                    unfinished.getOrDefault(version, 0L), leftHere.getOrDefault(version, 0L)));
        }
        return List.copyOf(versions.values());
    }

    public FlowVersionsReport report() {
        return new FlowVersionsReport(versions());
    }

    /** How many unfinished sagas of this version there are, as every replica reads the orders. */
    public long unfinished(FlowVersion version) {
        return book.unfinishedByFlow(unversioned).getOrDefault(version, 0L);
    }
}
