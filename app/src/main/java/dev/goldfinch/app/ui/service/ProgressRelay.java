package dev.goldfinch.app.ui.service;

import dev.goldfinch.engine.reading.PrefillProgress;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A reading's progress on its way to the window: at most ten times a second (and the last one always), on the
 * window's executor; the document tokens it reports are counted into {@code tokensRead} once each.
 */
final class ProgressRelay implements PrefillProgress.Listener {
    private final Consumer<PrefillProgress> target;
    private final Executor fx;
    private final AtomicLong tokensRead;
    private int counted;
    private long lastPost;
    private PrefillProgress pending;

    ProgressRelay(Consumer<PrefillProgress> target, Executor fx, int alreadyDone, AtomicLong tokensRead) {
        this.target = target;
        this.fx = fx;
        this.counted = alreadyDone;
        this.tokensRead = tokensRead;
    }

    @Override
    public void onProgress(PrefillProgress p) {
        if (p.done() > counted) {
            tokensRead.addAndGet(p.done() - counted);
            counted = p.done();
        }
        pending = p;
        long now = System.nanoTime();
        if (now - lastPost >= 100_000_000L || p.done() >= p.total()) flush();
    }

    void flush() {
        PrefillProgress p = pending;
        pending = null;
        if (p == null) return;
        lastPost = System.nanoTime();
        fx.execute(() -> target.accept(p));
    }
}
