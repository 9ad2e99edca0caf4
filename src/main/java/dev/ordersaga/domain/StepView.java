package dev.ordersaga.domain;

import java.time.Instant;

/**
 * One attempt of one command of an order's saga as clients see it: its name, which attempt (a command sent again
 * after a transient failure, under the same correlation id, is a new attempt), where it stands, when, and the
 * technical detail (the participant's words, a timeout).
 */
public record StepView(String name, int attempt, StepStatus status, Instant at, String detail) {

    public enum StepStatus { SENT, SUCCEEDED, FAILED, TIMED_OUT }
}
