package dev.goldfinch.engine.reading;

import java.util.concurrent.CancellationException;

/** A pre-fill stopped on request; what was done up to its last checkpoint is in the store and resumes later. */
public final class PrefillCancelledException extends CancellationException {
    private final int savedPositions;

    public PrefillCancelledException(int savedPositions) {
        super("pre-fill cancelled; " + savedPositions + " tokens are saved and reading resumes from there");
        this.savedPositions = savedPositions;
    }

    public int savedPositions() {
        return savedPositions;
    }
}
