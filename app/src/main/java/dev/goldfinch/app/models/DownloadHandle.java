package dev.goldfinch.app.models;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Stops a running download from another thread (a Pause button, Ctrl+C, closing the window): the transfer ends
 * within moments, even mid-read, the {@code .part} file is kept, and the download throws a
 * {@link DownloadException} of kind {@link DownloadException.Kind#PAUSED}. Downloading the same file again
 * resumes. A handle serves one download call; use a new one for the resumed download.
 */
public final class DownloadHandle {
    private volatile boolean cancelled;
    private final AtomicReference<Runnable> abort = new AtomicReference<>();

    /** Pause: stop the download as soon as possible, keeping what arrived. Safe from any thread, any number of times. */
    public void cancel() {
        cancelled = true;
        Runnable a = abort.getAndSet(null);
        if (a != null) a.run();
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** The downloader registers how to abort what it is blocked on (a pending request, an open response stream). */
    void onCancel(Runnable action) {
        abort.set(action);
        if (cancelled) {
            Runnable a = abort.getAndSet(null);
            if (a != null) a.run();
        }
    }

    void clearOnCancel() {
        abort.set(null);
    }
}
