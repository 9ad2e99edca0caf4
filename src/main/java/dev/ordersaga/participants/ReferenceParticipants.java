package dev.ordersaga.participants;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

import org.apache.camel.support.scan.DefaultPackageScanClassResolver;
import org.apache.kafka.clients.producer.Producer;

import io.opentelemetry.api.trace.Tracer;

import dev.ordersaga.flow.FlowCatalog;
import dev.ordersaga.flow.Participant;

/**
 * The reference participants of every participant the flows name: for each, the {@link ParticipantRules} found in
 * {@code participants.rules-packages}, wrapped in the idempotent shape they share and answering over Kafka. A flow
 * that names a participant with no rules here stops the start, with the participant's name.
 */
public final class ReferenceParticipants {

    private final Map<Participant, ParticipantRules> rules;
    private final List<IdempotentParticipant> participants = new ArrayList<>();
    private final Map<Participant, ParticipantCommandProcessor> processors = new LinkedHashMap<>();

    /**
     * @param running the participants to run here, of those the flows name (others run elsewhere)
     * @param ledgers each participant's ledger ({@link ParticipantLedger#NONE} for state that lives with the process)
     * @param replies the producer the participants answer with
     * @param replySender the thread that sends the replies, in the order their records became durable
     * @param replyDelays how long each participant holds its replies back (a slow participant, for demos and tests)
     * @param tracer the spans of the participants' handling of each command, continuing the orchestrator's trace
     */
    public ReferenceParticipants(FlowCatalog flows, Collection<Participant> running,
                                 Map<Participant, ParticipantRules> rules,
                                 Function<Participant, ParticipantLedger> ledgers, Producer<String, byte[]> replies,
                                 Executor replySender, Function<Participant, Duration> replyDelays, Tracer tracer,
                                 Clock clock) {
        this.rules = Map.copyOf(rules);
        for (Participant participant : running) {
            if (!flows.participants().contains(participant)) {
                throw new IllegalStateException("No flow commands " + participant + ": the flows name "
                        + flows.participants());
            }
            ParticipantRules found = rules.get(participant);
            if (found == null) {
                throw new IllegalStateException("The flows command " + participant + ", but no reference rules for it "
                        + "were found: write a class implementing " + ParticipantRules.class.getName() + " in "
                        + "participants.rules-packages, or run " + participant + " elsewhere");
            }
            IdempotentParticipant idempotent = new IdempotentParticipant(found, flows::command,
                    ledgers.apply(participant), clock);
            participants.add(idempotent);
            processors.put(participant, new ParticipantCommandProcessor(idempotent, replies, replySender,
                    replyDelays.apply(participant), tracer));
        }
    }

    /**
     * The rules of every reference participant in the packages, by participant: each a concrete class implementing
     * {@link ParticipantRules}, made with its constructor that takes {@link ParticipantSettings}, or its no-argument
     * one.
     */
    public static Map<Participant, ParticipantRules> findRules(Collection<String> packages,
                                                              ParticipantSettings settings) {
        DefaultPackageScanClassResolver resolver = new DefaultPackageScanClassResolver();
        resolver.addClassLoader(ReferenceParticipants.class.getClassLoader());
        Map<Participant, ParticipantRules> found = new LinkedHashMap<>();
        resolver.findImplementations(ParticipantRules.class, packages.toArray(String[]::new)).stream()
                .filter(type -> !Modifier.isAbstract(type.getModifiers()) && !type.isInterface())
                .sorted(java.util.Comparator.comparing(Class::getName))
                .forEach(type -> {
                    ParticipantRules rules = instantiate(type, settings);
                    ParticipantRules earlier = found.put(new Participant(rules.participant()), rules);
                    if (earlier != null) {
                        throw new IllegalStateException("Two rules for " + rules.participant() + ": "
                                + earlier.getClass().getName() + " and " + type.getName());
                    }
                });
        return found;
    }

    private static ParticipantRules instantiate(Class<?> type, ParticipantSettings settings) {
        try {
            for (Constructor<?> constructor : type.getConstructors()) {
                Class<?>[] parameters = constructor.getParameterTypes();
                if (parameters.length == 1 && parameters[0] == ParticipantSettings.class) {
                    return (ParticipantRules) constructor.newInstance(settings);
                }
            }
            return (ParticipantRules) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Participant rules " + type.getName() + " need a public constructor that "
                    + "takes " + ParticipantSettings.class.getSimpleName() + ", or one without arguments", e);
        }
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

    /** What answers each participant's commands, by participant. */
    public Map<Participant, ParticipantCommandProcessor> commandProcessors() {
        return processors;
    }

    /** The read-only views of the participants' state. */
    public List<ParticipantRules.DemoView> demoViews() {
        return processors.keySet().stream().map(rules::get).map(ParticipantRules::demoView)
                .flatMap(Optional::stream).toList();
    }

    /** The rules of one kind, for tests and tools in the same process. */
    public <T extends ParticipantRules> T rules(Class<T> type) {
        return rules.values().stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No participant runs " + type.getName()));
    }
}
