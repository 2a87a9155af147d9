package dev.goldfinch.app.cli;

import dev.goldfinch.engine.reading.PrefillProgress;

/** Pre-fill progress on stderr, redrawn in place on a terminal, every few seconds otherwise. */
final class ProgressLine {
    private final boolean terminal = System.console() != null && System.console().isTerminal();
    private long lastPrint;

    void show(PrefillProgress p) {
        long now = System.nanoTime();
        if (!terminal && now - lastPrint < 5_000_000_000L && p.done() < p.total()) return;
        lastPrint = now;
        String line = String.format("reading: %d/%d tokens (%.0f%%), %.1f tokens/s, %s left", p.done(), p.total(), 100 * p.fraction(),
                p.tokensPerSecond(), Double.isNaN(p.secondsLeft()) ? "?" : String.format("%.0f s", p.secondsLeft()));
        System.err.print(terminal ? "\r" + line : line + "\n");
        System.err.flush();
    }

    void done() {
        if (terminal) System.err.println();
    }
}
