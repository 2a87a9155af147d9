package dev.goldfinch.app.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl+C as a request to stop, for a command whose long work polls it: the JVM's shutdown waits (up to 20 s) until
 * the command has stopped and said what it kept, so what it saved is whole and said. Closing it removes the hook.
 */
final class CtrlC implements AutoCloseable {
    private final AtomicBoolean pressed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread hook = new Thread(() -> {
        pressed.set(true);
        try {
            stopped.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    });

    private CtrlC() {
    }

    static CtrlC listen() {
        CtrlC c = new CtrlC();
        Runtime.getRuntime().addShutdownHook(c.hook);
        return c;
    }

    /** Whether Ctrl+C was pressed: the work stops at its next step. */
    boolean pressed() {
        return pressed.get();
    }

    @Override
    public void close() {
        stopped.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl+C: the hook is running, and now lets the JVM go
        }
    }
}
