package dev.ordersaga.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * The short form of the outage test, in real processes: the broker and the participants are killed mid-load and are
 * away for about 20 s, from the kill until they are ready again (less than the shipped {@code saga.timeout} of 30 s).
 * Every order must end with its effects exact, and none may be rejected because of the outage.
 * {@code scripts/outage-test.sh} runs the long form.
 */
class OutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(20);
    /** How much shorter than planned an outage may be: a restart may be quicker than the first start. */
    private static final Duration OUTAGE_TOLERANCE = Duration.ofSeconds(5);
    /** config/application.properties' saga.timeout, which the orchestrator of the run keeps. */
    private static final Duration SAGA_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void anOutageOfTheBrokerShorterThanTheSagaTimeoutRejectsNoOrder() throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "fault", "outage"));

        FaultRun.Report report = FaultRun.outage(120, 16, OUTAGE, 11, logs).run();

        System.out.println("OUTAGE TEST (short): " + report);
        assertThat(report.outage()).isNotNull();
        assertThat(report.outage().brokerAway()).as("the outage, from the kill until ready again: about %s and "
                + "shorter than the saga timeout, or this run proves nothing", OUTAGE)
                .isGreaterThan(OUTAGE.minus(OUTAGE_TOLERANCE)).isLessThan(SAGA_TIMEOUT);
        assertThat(report.outage().approvableRejected()).as(report.toString()).isZero();
        assertThat(report.outage().rejectedForNoBusinessReason()).as(report.toString()).isZero();
        assertThat(report.passed()).as(report.toString()).isTrue();
    }
}
