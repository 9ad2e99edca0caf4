package dev.ordersaga.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The short form of the scale audit, in real processes: three orchestrator replicas share the sagas; one is killed
 * with SIGKILL mid-load and started again, another stopped with SIGTERM (scale-down); then every order and every
 * effect is audited, and the takeover times are held to their bounds. One run, its findings asserted one behaviour
 * at a time. {@code scripts/scale-test.sh} runs the long form (600 orders).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleTest {

    private static final Duration KILL_BOUND = Duration.ofSeconds(30);
    private static final Duration SIGTERM_BOUND = Duration.ofSeconds(10);

    private ScaleRun.Report report;

    @BeforeAll
    void runTheShortForm() throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "scale", "short"));
        report = new ScaleRun(240, 32, 20, KILL_BOUND, SIGTERM_BOUND, 42, logs).run();
        System.out.println("SCALE AUDIT (short) " + (report.passed() ? "PASSED" : "FAILED") + ": " + report);
    }

    @Test
    void everyOrderPlacedOnAnyReplicaEndsApprovedOrRejected() {
        assertThat(report.stuck()).as(report.toString()).isZero();
        assertThat(report.approved() + report.rejected()).as(report.toString()).isEqualTo(report.orders());
    }

    @Test
    void theParticipantsEffectsMatchEveryOutcomeExactly() {
        assertThat(report.inconsistent()).as(report.toString()).isZero();
    }

    @Test
    void noCommandIsAppliedTwiceAndNoKeyStartsASecondSaga() {
        assertThat(report.duplicates()).as(report.toString()).isZero();
        assertThat(report.unknownOrders()).as(report.toString()).isZero();
    }

    @Test
    void everyLiveReplicaAnswersTheSameStatusForEveryOrder() {
        assertThat(report.replicaMismatches()).as(report.toString()).isZero();
    }

    @Test
    void theSurvivorsTakeOverTheKilledReplicasPartitionsWithinTheBound() {
        assertThat(report.takeoverAfterKill().within(KILL_BOUND)).as(report.toString()).isTrue();
    }

    @Test
    void theRestartedReplicaOwnsPartitionsAgain() {
        assertThat(report.restartOwning().after()).as(report.toString()).isNotNull();
    }

    @Test
    void aReplicaStoppedWithSigtermHandsOverItsPartitionsWithinTheBound() {
        assertThat(report.takeoverAfterSigterm().within(SIGTERM_BOUND)).as(report.toString()).isTrue();
    }

    @Test
    void theAuditFindsNoViolationAtAll() {
        assertThat(report.passed()).as(report.toString()).isTrue();
    }
}
