package dev.goldfinch.ingest;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;

/**
 * One file being read: its path, options and a cancel flag the extractors poll (between pages, on every chunk of
 * text) so that a parser that is slow but not stuck stops soon after its time is up. Public for the PDF passes of
 * {@code ingest.pdf}; only the {@link Ingestor} makes one, under the file's time limit.
 */
public final class Job {
    public final Path file;
    public final IngestOptions options;
    private volatile boolean cancelled;
    private volatile String activity;
    private long chars;

    Job(Path file, IngestOptions options) {
        this.file = file;
        this.options = options;
    }

    void cancel() {
        cancelled = true;
    }

    /** True once the time is up, the caller cancelled ({@link IngestOptions#cancelled()}) or the thread was interrupted. */
    public boolean cancelled() {
        return cancelled || options.cancelled().getAsBoolean() || Thread.currentThread().isInterrupted();
    }

    /** What a long step is doing ("OCR had read 3 of 40 scanned pages"), for the time-out message; null if none. */
    public void activity(String what) {
        activity = what;
    }

    String activity() {
        return activity;
    }

    /** Throws if the job was cancelled (time limit reached, or the caller's cancel). */
    public void check() {
        if (cancelled()) {
            throw new CancellationException("time limit reached or cancelled");
        }
    }

    /** Counts extracted characters against the text limit. */
    public void addChars(long n) {
        chars += n;
        if (chars > options.maxTextChars()) {
            throw fail(IngestException.Reason.TOO_LARGE, "has more than " + String.format("%,d", options.maxTextChars())
                    + " characters of text (the limit)");
        }
    }

    public String name() {
        Path n = file.getFileName();
        return n == null ? file.toString() : n.toString();
    }

    public IngestException fail(IngestException.Reason reason, String what) {
        return new IngestException(reason, file, name() + " " + what);
    }

    public IngestException fail(IngestException.Reason reason, String what, Throwable cause) {
        return new IngestException(reason, file, name() + " " + what, cause);
    }
}
