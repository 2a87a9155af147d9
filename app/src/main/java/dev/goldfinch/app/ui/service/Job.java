package dev.goldfinch.app.ui.service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** Work running on the model thread: its result, and a way to stop it between two steps. */
public final class Job<T> {
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final long documentId;

    Job(long documentId) {
        this.documentId = documentId;
    }

    public CompletableFuture<T> result() {
        return result;
    }

    public long documentId() {
        return documentId;
    }

    /** Asks the work to stop at its next step; the result then completes (a reading exceptionally, an answer with what it had). */
    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }
}
