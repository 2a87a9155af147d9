package dev.goldfinch.engine.model;

/**
 * How far reopening a saved state has come: a hybrid rebuilds every GOLD layer's keys and values from the stored
 * token ids and cc_t, which on a long document takes seconds the person would otherwise wait through with nothing
 * on screen. Called on the rebuilding thread after each chunk of positions; a model without attention layers has
 * nothing to rebuild and does not call it.
 */
@FunctionalInterface
public interface RestoreProgress {
    /** {@code positions} of {@code total} rebuilt. */
    void rebuilt(int positions, int total);

    RestoreProgress NONE = (positions, total) -> { };
}
