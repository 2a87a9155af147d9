package dev.goldfinch.engine.store;

/**
 * A persisted cache of one document for one model: complete, or a pre-fill checkpoint to resume from.
 *
 * @param positions positions stored so far (== totalTokens when complete)
 * @param bytes bytes on disk of the per-token part (token ids and cc_t blobs)
 * @param stateBytes bytes of the constant-size part (shift and WKV states)
 * @param problem null for a sound record; else why it cannot be used (it fails its checksum, or holds values no
 *                writer produces): {@link Readings#load} refuses it, listings show it
 * @param updatedAt when it was last written (epoch milliseconds; said to people, not checked)
 */
public record CacheInfo(long id, long documentId, long modelId, String modelIdentity, String tokensHash,
                        CachePrecision precision, int ccWidth, int positions, int totalTokens, boolean complete,
                        double seconds, long bytes, long stateBytes, String problem, long updatedAt) {

    public double bytesPerToken() {
        return positions == 0 ? 0 : (double) bytes / positions;
    }
}
