package dev.goldfinch.app.cli;

import dev.goldfinch.app.library.OcrProgressText;
import dev.goldfinch.engine.reading.PrefillProgress;

/** Progress of a long step on stderr (OCR, reading, rebuilding attention), redrawn in place on a terminal, every few seconds otherwise. */
final class ProgressLine {
    private final boolean terminal = System.console() != null && System.console().isTerminal();
    private long lastPrint;
    private int lastLength;
    /** A line is drawn in place that the next output must not overwrite. */
    private boolean open;

    void show(PrefillProgress p) {
        print(p.done() >= p.total(), () -> String.format("reading: %d/%d tokens (%.0f%%), %.1f tokens/s, %s left", p.done(), p.total(),
                100 * p.fraction(), p.tokensPerSecond(), Double.isNaN(p.secondsLeft()) ? "?" : String.format("%.0f s", p.secondsLeft())));
    }

    /** A hybrid's attention rebuilt from the saved cache before the first answer: seconds on a long document. */
    void rebuilt(int positions, int total) {
        print(positions >= total, () -> String.format("rebuilding attention from the saved reading: %d/%d tokens (%.0f%%)", positions, total,
                100.0 * positions / total));
    }

    /** A reading exported or imported: the step ("checking the model file (SHA-256)") and its share done. */
    void transfer(String step, long done, long total) {
        if (done <= 0) return; // a step said as it starts would stand alone before a refusal's one line
        print(done >= total, () -> String.format("%s: %.0f%%", step, total <= 0 ? 100.0 : 100.0 * done / total));
    }

    /** A recall check: its step, cells scored, the share of its reading done and the time left at the pace so far. */
    void showRecall(dev.goldfinch.app.recall.RecallCheck.Progress p, long startNanos) {
        print(false, () -> {
            double elapsed = (System.nanoTime() - startNanos) / 1e9, f = p.fraction();
            String left = f > 0.01 ? dev.goldfinch.app.models.ReadingTime.describe(elapsed / f * (1 - f)) + " left" : "time left: measuring";
            return String.format("recall check: %s; %d of %d cells scored, %.0f%% read, %s", p.step(), p.cellsScored(), p.cellsTotal(), 100 * f, left);
        });
    }

    /** OCR of a scanned PDF: {@code done} of its {@code total} scanned pages read. */
    void showOcr(int done, int total) {
        print(done >= total, () -> OcrProgressText.of(done, total));
    }

    private void print(boolean last, java.util.function.Supplier<String> line) {
        long now = System.nanoTime();
        if (!terminal && now - lastPrint < 5_000_000_000L && !last) return;
        lastPrint = now;
        String text = line.get();
        // a shorter line redrawn in place blanks what the longer one before it left
        System.err.print(terminal ? "\r" + text + " ".repeat(Math.max(0, lastLength - text.length())) : text + "\n");
        lastLength = text.length();
        System.err.flush();
        open = terminal;
    }

    /** Ends the line drawn in place, if any. */
    void done() {
        if (open) System.err.println();
        open = false;
        lastLength = 0;
    }
}
