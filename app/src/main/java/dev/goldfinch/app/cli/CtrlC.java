package dev.goldfinch.app.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl+C while a long step runs: the step is told to stop (it checks {@link #stopped()}) and the process waits, up to
 * 20 s, for it to leave things as they should be (a reading saved to its checkpoint, an import rolled back, no half
 * export) before it exits.
 */
final class CtrlC implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook = new Thread(() -> {
        stop.set(true);
        try {
            done.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    });

    CtrlC() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    boolean stopped() {
        return stop.get();
    }

    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: Ctrl+C
        }
    }
}
