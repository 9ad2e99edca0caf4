package dev.ordersaga.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The short form of the fault audit, in real processes: the orchestrator is killed with SIGKILL mid-load, and
 * stopped with SIGTERM (as Kubernetes stops a pod) with sagas in flight, and started again each time; then every
 * order must have ended APPROVED or REJECTED with effects exactly matching. {@code scripts/fault-test.sh} runs the
 * long form (500 orders, 3 kills, a SIGTERM, and a broker restart).
 */
class FaultTest {

    @Test
    void everyOrderEndsConsistentlyAcrossKillNineAndSigtermOfTheOrchestrator() throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "fault", "kill-nine"));

        FaultRun.Report report = new FaultRun(120, 32, 2, 1, false, 42, logs).run();

        System.out.println("FAULT AUDIT (short): " + report);
        assertThat(report.orchestratorStarts()).isEqualTo(4);
        assertThat(report.passed()).as(report.toString()).isTrue();
    }

    @Test
    void everyOrderEndsConsistentlyAcrossARestartOfTheBroker() throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "fault", "broker-restart"));

        FaultRun.Report report = new FaultRun(80, 16, 0, 0, true, 7, logs).run();

        System.out.println("FAULT AUDIT (broker restart, short): " + report);
        assertThat(report.passed()).as(report.toString()).isTrue();
        assertThat(report.readinessFollowedBroker()).as("readiness DOWN while the broker is away, UP after")
                .isTrue();
    }
}
