package dev.goldfinch.engine.store;

/**
 * One run of a model's recall check as the store keeps it: the model it checked (by checkpoint identity, with the
 * name it had), when it started and was last written, whether it ran to its end, and its grid (JSON, which the app
 * reads). {@code intact} is false when the row fails its checksum: it is shown as damaged, never as what was written.
 */
public record StoredRecallCheck(long id, String modelIdentity, String modelName, long startedAt, long updatedAt, boolean finished, String grid,
                                boolean intact) {
}
