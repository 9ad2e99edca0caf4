package dev.ordersaga.domain;

import java.time.Instant;

/** One command of an order's saga as clients see it: its name, where it stands, when, and why. */
public record StepView(String name, StepStatus status, Instant at, String detail) {

    public enum StepStatus { SENT, SUCCEEDED, FAILED, TIMED_OUT }
}
