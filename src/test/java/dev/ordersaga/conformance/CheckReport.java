package dev.ordersaga.conformance;

import java.io.PrintStream;

/** The kit's output: one line per check, {@code PASS name — detail} or {@code FAIL name — detail}, and a summary. */
final class CheckReport {

    private final PrintStream out;
    private int passed;
    private int failed;

    CheckReport(PrintStream out) {
        this.out = out;
    }

    void pass(String name, String detail) {
        passed++;
        out.println("PASS " + name + " — " + detail);
    }

    void fail(String name, String detail) {
        failed++;
        out.println("FAIL " + name + " — " + detail);
    }

    void check(boolean ok, String name, String detail) {
        if (ok) {
            pass(name, detail);
        } else {
            fail(name, detail);
        }
    }

    boolean allPassed() {
        return failed == 0 && passed > 0;
    }

    void summary() {
        out.println((allPassed() ? "CONFORMS" : "DOES NOT CONFORM") + ": " + passed + " passed, " + failed + " failed");
    }
}
