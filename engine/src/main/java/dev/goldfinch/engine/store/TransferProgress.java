package dev.goldfinch.engine.store;

/** How far a long export or import is: the step in words ("checking the model file (SHA-256)") and its share done. */
@FunctionalInterface
public interface TransferProgress {
    TransferProgress NONE = (step, done, total) -> { };

    void progress(String step, long done, long total);
}
