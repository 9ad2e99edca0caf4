package dev.ordersaga.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ordersaga.app.OrderSagaApplication;
import dev.ordersaga.kafka.EmbeddedKafkaBroker;
import dev.ordersaga.testsupport.FreePort;

/**
 * The conformance kit against the reference participants, on the real embedded broker, as their own process would
 * run them (the participants profile, ledgers on): every participant passes every check, also across a restart. And
 * the kit can fail: a participant that breaks the contract, and reference participants that forget on restart (no
 * ledger), are reported non-conforming.
 */
class ParticipantConformanceTest {

    /** Each set of participants has its command topics, groups and ledger, told apart by a prefix. */
    private static final String CONFORMING = "conforming-";
    private static final String FORGETFUL = "forgetful-";
    private static final String BROKEN = "broken-";

    private static final List<String> PARTICIPANTS = List.of("payment-service", "inventory-service",
            "order-service", "notification-service");

    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path state;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaBroker(null, 0).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void everyReferenceParticipantConformsAlsoAcrossItsRestart() throws Exception {
        OrderSagaApplication first = startReferenceParticipants("true", CONFORMING);
        try {
            for (String participant : PARTICIPANTS) {
                Kit all = kit(CONFORMING, participant, "all");
                assertThat(all.passed()).as(all.output()).isTrue();
                assertThat(all.output()).doesNotContain("FAIL ").contains("PASS reply partition");
                Kit before = kit(CONFORMING, participant, "before-restart");
                assertThat(before.passed()).as(before.output()).isTrue();
            }
        } finally {
            first.stop();
        }
        OrderSagaApplication second = startReferenceParticipants("true", CONFORMING);
        try {
            for (String participant : PARTICIPANTS) {
                Kit after = kit(CONFORMING, participant, "after-restart");
                assertThat(after.passed()).as(after.output()).isTrue();
            }
        } finally {
            second.stop();
        }
    }

    @Test
    void aParticipantThatBreaksTheContractFails() throws Exception {
        try (BrokenPaymentService broken = new BrokenPaymentService(broker.bootstrapServers(),
                BROKEN + "commands.payment-service")) {
            Kit kit = kit(BROKEN, "payment-service", "all", "--reply-timeout", "3s");

            assertThat(kit.passed()).as(kit.output()).isFalse();
            assertThat(kit.output())
                    .contains("FAIL a declined card is refused card-declined — step 1, HoldPayment to order a: "
                            + "answered SUCCESS, expected FAILURE card-declined")
                    .contains("FAIL reply key — ").contains("FAIL reply headers — ")
                    .contains("DOES NOT CONFORM");
        }
    }

    @Test
    void participantsThatForgetTheirAnswersOnRestartFail() throws Exception {
        OrderSagaApplication first = startReferenceParticipants("false", FORGETFUL);
        try {
            assertThat(kit(FORGETFUL, "payment-service", "before-restart").passed()).isTrue();
            // as a participant that forgets does: it has committed what it read, so nothing is read again
            awaitCommitted(FORGETFUL + "payment-service", FORGETFUL + "commands.payment-service");
        } finally {
            first.stop();
        }
        OrderSagaApplication second = startReferenceParticipants("false", FORGETFUL);
        try {
            Kit after = kit(FORGETFUL, "payment-service", "after-restart");

            assertThat(after.passed()).as(after.output()).isFalse();
            assertThat(after.output()).contains("FAIL after the restart: ").contains(
                    "HoldPayment to order x: answered SUCCESS, expected FAILURE credit-limit-exceeded");
        } finally {
            second.stop();
        }
    }

    /** Until the group has committed every record of the topic. */
    private static void awaitCommitted(String group, String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                        .get();
                return ends.entrySet().stream().allMatch(end -> end.getValue().offset() == 0
                        || (committed.get(end.getKey()) != null
                        && committed.get(end.getKey()).offset() == end.getValue().offset()));
            });
        }
    }

    /** The reference participants as their own process, with ledgers or without. */
    private static OrderSagaApplication startReferenceParticipants(String durable, String prefix)
            throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "broker.embedded", "false",
                "api.port", Integer.toString(FreePort.next()),
                "management.port", Integer.toString(FreePort.next()),
                "management.auth.enabled", "false",
                "participants.durable", durable,
                "participants.group-id-prefix", prefix,
                "topics.participants-ledger", prefix + "ledger",
                "topics.commands-prefix", prefix + "commands."));
        return OrderSagaApplication.create("participants", settings).start();
    }

    private record Kit(boolean passed, String output) {
    }

    /** Runs the kit against the participant whose command topic has this prefix. */
    private Kit kit(String prefix, String participant, String phase, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--bootstrap", broker.bootstrapServers(),
                "--participant", participant, "--phase", phase,
                "--command-topic", prefix + "commands." + participant,
                "--state-file", state.resolve(participant + ".json").toString()));
        args.addAll(List.of(more));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        boolean passed;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            passed = ConformanceKit.run(KitOptions.parse(args.toArray(String[]::new)), out);
        }
        String text = output.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        return new Kit(passed, text);
    }
}
