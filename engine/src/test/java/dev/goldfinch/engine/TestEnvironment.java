package dev.goldfinch.engine;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs of the machine beyond Java (a display, a tmpfs mount as root, a program on the PATH). On a
 * developer's machine without it the test is skipped, saying what is missing. In CI ({@code GOLDFINCH_CI=1}, which
 * .ci/test sets when it runs as root and has installed everything) it fails instead: a skip there would hide a red.
 * The engine's test jar carries it to the app's tests; the ingest module has the same rule in its own tests.
 */
public final class TestEnvironment {
    private TestEnvironment() {
    }

    /** True in CI, where every test must run. */
    public static boolean ci() {
        return "1".equals(System.getenv("GOLDFINCH_CI"));
    }

    /** Goes on when {@code available}; else skips with {@code missing} as the reason, or fails with it in CI. */
    public static void require(boolean available, String missing) {
        if (available) return;
        if (ci()) Assertions.fail(missing + " (GOLDFINCH_CI=1: in CI every test runs, none is skipped)");
        Assumptions.abort(missing);
    }
}
