package dev.ordersaga.conformance;

import java.io.PrintStream;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.ordersaga.flow.FlowCatalog;
import dev.ordersaga.flow.Participant;
import dev.ordersaga.saga.SagaFlows;
import dev.ordersaga.testsupport.Flows;

/**
 * The participant conformance kit: checks over Kafka that a running participant keeps the messaging contract
 * (docs/messaging-contract.md), whatever it is written in. It sends the participant's commands as the orchestrator
 * does, but asks for the replies on a topic of its own (reply-to), so that it can run beside an orchestrator; it
 * prints one line per check and exits 1 if any failed. {@code scripts/conformance.sh} runs it; README, "Write a
 * participant", says how.
 */
public final class ConformanceKit {

    /** Where the flows the participant answers are declared (as the application's flows.packages). */
    static final List<String> FLOW_PACKAGES = List.of("dev.ordersaga.routes");
    private static final long ADMIN_TIMEOUT_SECONDS = 30;
    private static final int USAGE_ERROR = 2;

    private ConformanceKit() {
    }

    public static void main(String[] args) throws Exception {
        KitOptions options;
        try {
            options = KitOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n" + KitOptions.USAGE);
            System.exit(USAGE_ERROR);
            return;
        }
        System.exit(run(options, System.out) ? 0 : 1);
    }

    /** Runs the kit as its command line would, printing to {@code out}; true if every check passed. */
    public static boolean run(PrintStream out, String... args) throws Exception {
        return run(KitOptions.parse(args), out);
    }

    /** Runs the checks of one phase; true if every one passed. */
    static boolean run(KitOptions options, PrintStream out) throws Exception {
        FlowCatalog flows = SagaFlows.catalog(SagaFlows.discover(FLOW_PACKAGES));
        Participant participant = new Participant(options.participant());
        ParticipantCases.Cases cases = ParticipantCases.BY_PARTICIPANT.get(participant.name());
        if (!flows.participants().contains(participant) || cases == null) {
            throw new IllegalArgumentException("--participant must be one of " + flows.participants() + ", was "
                    + participant);
        }
        String commandTopic = options.commandTopic().orElse(Flows.defaultCommandTopic(participant));
        Map<String, Object> client = clientConfig(options);
        CheckReport report = new CheckReport(out);
        out.println("Conformance of " + participant + " (" + commandTopic + ", replies to " + options.replyTopic()
                + ", phase " + options.phase().option + ")");
        boolean ready;
        try {
            ready = topicsReady(client, options, commandTopic, report);
        } catch (ExecutionException | TimeoutException e) {
            report.fail("kafka", "cannot list or create topics at " + options.bootstrap() + " within "
                    + ADMIN_TIMEOUT_SECONDS + " s: " + (e.getCause() == null ? e : e.getCause()));
            ready = false;
        }
        if (!ready) {
            report.summary();
            return false;
        }
        ContractScenarios contract = new ContractScenarios(flows, participant, cases.validOrder());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(client, new StringSerializer(),
                new StringSerializer());
             ReplyListener replies = new ReplyListener(client, options.replyTopic())) {
            ReplyChecks replyChecks = new ReplyChecks(participant.name(), replies.partitions());
            ScenarioRunner runner = new ScenarioRunner(flows, producer, replies, replyChecks, commandTopic,
                    options.replyTopic(), options.replyTimeout(), Clock.systemUTC());
            Scenario restart = contract.restart(cases.restart());
            switch (options.phase()) {
                case ALL -> {
                    for (Scenario scenario : concat(cases.business(), contract.scenarios())) {
                        ScenarioRunner.Result result = runner.run(scenario.steps(), new ScenarioMemory(
                                participant.name()));
                        report.check(result.passed(), scenario.name(), result.detail());
                    }
                }
                case BEFORE_RESTART -> {
                    ScenarioMemory memory = new ScenarioMemory(participant.name());
                    ScenarioRunner.Result result = runner.run(restart.steps(), memory);
                    memory.save(options.stateFile());
                    report.check(result.passed(), "before the restart: " + restart.name(), result.detail()
                            + "; state in " + options.stateFile() + ": restart the participant, then run the kit "
                            + "with --phase after-restart");
                }
                case AFTER_RESTART -> {
                    ScenarioRunner.Result result = runner.run(restart.afterRestart(),
                            ScenarioMemory.load(options.stateFile(), participant.name()));
                    report.check(result.passed(), "after the restart: " + restart.name(), result.detail());
                }
                default -> throw new IllegalStateException(options.phase().toString());
            }
            replyChecks.report(report);
        }
        report.summary();
        return report.allPassed();
    }

    private static List<Scenario> concat(List<Scenario> first, List<Scenario> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }

    private static Map<String, Object> clientConfig(KitOptions options) {
        Map<String, Object> config = new HashMap<>(options.security());
        config.put("bootstrap.servers", options.bootstrap());
        config.put("client.id", "conformance-kit");
        return config;
    }

    /**
     * The participant's command topic must be there (the kit does not make it: whoever runs the participant does);
     * the kit's reply topic is made when missing (the replication factor is the cluster's default).
     */
    private static boolean topicsReady(Map<String, Object> client, KitOptions options, String commandTopic,
                                       CheckReport report) throws Exception {
        try (Admin admin = Admin.create(client)) {
            Set<String> existing = admin.listTopics().names().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!existing.contains(commandTopic)) {
                report.fail("command topic", commandTopic + " does not exist: is the participant's topic named "
                        + "otherwise (--command-topic)?");
                return false;
            }
            if (!existing.contains(options.replyTopic())) {
                admin.createTopics(List.of(new NewTopic(options.replyTopic(), Optional.of(options.replyPartitions()),
                        Optional.empty()))).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            return true;
        }
    }
}
