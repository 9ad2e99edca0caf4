package dev.ordersaga.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The short form of the rolling-update audit, in real processes: a replica of the old release (flow v1) with sagas
 * in flight, a replica of the new one (v1 and v2, which adds a step) joining, the old one stopped with SIGTERM. One
 * run, its findings asserted one behaviour at a time. {@code RollingUpdateRun.main} runs a longer form.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollingUpdateTest {

    private RollingUpdateRun.Report report;

    @BeforeAll
    void runTheShortForm() throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "rollout", "short"));
        report = new RollingUpdateRun(60, 8, 7, logs).run();
        System.out.println("ROLLING UPDATE AUDIT (short) " + (report.passed() ? "PASSED" : "FAILED") + ": " + report);
    }

    @Test
    void v1SagasWereInFlightWhenTheOldReleaseStopped() {
        assertThat(report.v1InFlightAtSigterm()).as(report.toString()).isPositive();
        assertThat(report.v1Orders()).as(report.toString()).isPositive();
    }

    @Test
    void everyOrderEndsApprovedOrRejectedWithEveryEffectExact() {
        assertThat(report.stuck()).as(report.toString()).isZero();
        assertThat(report.approved() + report.rejected()).as(report.toString()).isEqualTo(report.orders());
        assertThat(report.inconsistent()).as(report.toString()).isZero();
        assertThat(report.duplicates()).as(report.toString()).isZero();
    }

    @Test
    void everyV1SagaEndsOnV1WithoutTheNewStepAndNewOrdersRunV2() {
        assertThat(report.v2Orders()).as(report.toString()).isPositive();
        assertThat(report.violations()).as(report.toString()).isEmpty();
    }

    @Test
    void theNewReleaseTakesOverEveryPartition() {
        assertThat(report.takeover().after()).as(report.toString()).isNotNull();
    }
}
