package dev.ordersaga.flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The flows this process knows, every version of each: what drives a saga (by the version it began under), which
 * participants there are and which commands each handles. Commands keep one meaning across versions (the same
 * participant, step and phase), since a participant recognises a repeat by the correlation id those make up.
 */
public final class FlowCatalog {

    private static final Comparator<FlowVersion> ORDER = Comparator.comparing(FlowVersion::name)
            .thenComparingInt(FlowVersion::version);

    private final Map<FlowVersion, FlowDeclaration> declarations = new TreeMap<>(ORDER);
    private final Map<String, CommandType> commands = new LinkedHashMap<>();

    public FlowCatalog(Collection<FlowDeclaration> declared) {
        if (declared.isEmpty()) {
            throw new IllegalArgumentException("No flow is declared");
        }
        for (FlowDeclaration declaration : declared) {
            if (declarations.put(declaration.version(), declaration) != null) {
                throw new IllegalArgumentException("Flow " + declaration.version() + " is declared twice");
            }
            for (CommandType command : declaration.commands()) {
                CommandType earlier = commands.putIfAbsent(command.wireName(), command);
                if (earlier != null && !earlier.equals(command)) {
                    throw new IllegalArgumentException("Command " + command.wireName() + " means " + earlier
                            .participant() + "/" + earlier.step() + "/" + earlier.phase() + " in one flow and "
                            + command.participant() + "/" + command.step() + "/" + command.phase() + " in "
                            + declaration.version() + ": a command keeps one participant, step and phase");
                }
            }
        }
    }

    /** Every declaration, by flow name and version. */
    public List<FlowDeclaration> declarations() {
        return List.copyOf(declarations.values());
    }

    public Optional<FlowDeclaration> declaration(FlowVersion version) {
        return Optional.ofNullable(declarations.get(version));
    }

    public boolean knows(FlowVersion version) {
        return declarations.containsKey(version);
    }

    /** The newest version of the flow: where new sagas start. */
    public FlowDeclaration newest(String flowName) {
        return declarations.values().stream().filter(d -> d.version().name().equals(flowName))
                .max(Comparator.comparingInt(d -> d.version().version()))
                .orElseThrow(() -> new IllegalArgumentException("No flow named " + flowName + " is declared; there "
                        + "are " + declarations.keySet()));
    }

    /** The oldest version of the flow. */
    public FlowDeclaration oldest(String flowName) {
        return declarations.values().stream().filter(d -> d.version().name().equals(flowName))
                .min(Comparator.comparingInt(d -> d.version().version()))
                .orElseThrow(() -> new IllegalArgumentException("No flow named " + flowName + " is declared"));
    }

    /** Every participant of every version, in the order first declared. */
    public Set<Participant> participants() {
        Set<Participant> participants = new LinkedHashSet<>();
        declarations.values().forEach(declaration -> participants.addAll(declaration.participants()));
        return participants;
    }

    /** Every command of every version. */
    public Collection<CommandType> commands() {
        return List.copyOf(commands.values());
    }

    public Optional<CommandType> command(String wireName) {
        return Optional.ofNullable(commands.get(wireName));
    }

    /** The commands a participant handles, in any version. */
    public List<CommandType> commandsOf(Participant participant) {
        List<CommandType> handled = new ArrayList<>();
        commands.values().stream().filter(command -> command.participant().equals(participant))
                .forEach(handled::add);
        return handled;
    }
}
