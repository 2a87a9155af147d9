package dev.goldfinch.app.models;

import static dev.goldfinch.app.models.DownloadProgress.bytes;

import dev.goldfinch.app.models.DownloadException.Kind;
import dev.goldfinch.app.models.DownloadProgress.Phase;
import java.util.function.Consumer;

/**
 * One file's transfer as each of its steps sees it: the file's name and host (for messages), where progress goes,
 * and the handle that pauses it. An interrupted thread pauses it too.
 */
record Transfer(String name, String host, Consumer<DownloadProgress> listener, DownloadHandle handle) {

    /** Progress is told a few times a second, not for every buffer. */
    static final long REPORT_EVERY_NANOS = 200_000_000L;

    boolean stopped() {
        return handle.isCancelled() || Thread.currentThread().isInterrupted();
    }

    /** The pause, saying what the {@code .part} keeps ({@code total} -1 while unknown). */
    DownloadException paused(long kept, long total) {
        return new DownloadException(Kind.PAUSED, "download of " + name + " paused"
                + (kept > 0 ? " with " + bytes(kept) + (total > 0 ? " of " + bytes(total) : "") + " kept" : "")
                + "; download again to resume");
    }

    void report(Phase phase, long done, long total, double bytesPerSecond, double secondsLeft) {
        listener.accept(new DownloadProgress(name, phase, done, total, bytesPerSecond, secondsLeft));
    }
}
