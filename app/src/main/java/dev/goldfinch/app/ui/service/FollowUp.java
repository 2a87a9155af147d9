package dev.goldfinch.app.ui.service;

import dev.goldfinch.engine.model.InferenceState;

/**
 * A conversation's follow-up memory: the working state its last answer left, so the next question sees the earlier
 * questions and answers. Kept in memory only: lost when the app closes, when the model (or its layout) changes, or
 * when the conversation lets it go. {@link ReaderService} fills and reads it on its model thread.
 */
public final class FollowUp {
    private final long documentId;
    /** Model thread only. */
    private InferenceState state;
    /** What made the state (the service's librarian at the time): a state of another model is not continued. */
    private Object owner;
    private volatile boolean live;
    private volatile int position = -1;

    FollowUp(long documentId) {
        this.documentId = documentId;
    }

    public long documentId() {
        return documentId;
    }

    /** Whether the next question continues from a kept state. */
    public boolean isLive() {
        return live;
    }

    /** The position of the kept state (−1 when there is none). */
    public int position() {
        return position;
    }

    InferenceState state() {
        return state;
    }

    Object owner() {
        return owner;
    }

    void keep(InferenceState s, Object madeBy) {
        state = s;
        owner = madeBy;
        position = s.position();
        live = true;
    }

    /** Said at once (the state itself goes on the model thread). */
    void letGo() {
        live = false;
    }

    void clear() {
        state = null;
        owner = null;
        position = -1;
        live = false;
    }
}
