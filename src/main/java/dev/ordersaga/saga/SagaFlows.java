package dev.ordersaga.saga;

import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import org.apache.camel.support.scan.DefaultPackageScanClassResolver;

import dev.ordersaga.flow.FlowCatalog;

/**
 * Finds the flows a process runs: every concrete {@link SagaFlow} in the configured packages ({@code flows.packages}),
 * so that a new flow version is one new class, and nothing lists it anywhere else.
 */
public final class SagaFlows {

    private SagaFlows() {
    }

    /** One instance of each flow found, ordered by class name. */
    public static List<SagaFlow> discover(Collection<String> packages) {
        DefaultPackageScanClassResolver resolver = new DefaultPackageScanClassResolver();
        resolver.addClassLoader(SagaFlows.class.getClassLoader());
        List<SagaFlow> flows = resolver.findImplementations(SagaFlow.class, packages.toArray(String[]::new)).stream()
                .filter(type -> !Modifier.isAbstract(type.getModifiers()) && !type.isInterface())
                .sorted(Comparator.comparing(Class::getName))
                .map(SagaFlows::instantiate)
                .toList();
        if (flows.isEmpty()) {
            throw new IllegalStateException("No flow found in " + packages + " (flows.packages): each flow version is a "
                    + "class extending " + SagaFlow.class.getName());
        }
        return flows;
    }

    /** The declarations of these flows, checked against each other. */
    public static FlowCatalog catalog(Collection<SagaFlow> flows) {
        return new FlowCatalog(flows.stream().map(SagaFlow::declaration).toList());
    }

    private static SagaFlow instantiate(Class<?> type) {
        try {
            return (SagaFlow) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Flow " + type.getName() + " needs a public constructor without arguments",
                    e);
        }
    }
}
