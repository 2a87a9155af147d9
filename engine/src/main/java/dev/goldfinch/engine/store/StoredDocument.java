package dev.goldfinch.engine.store;

/** A document in the store (its text and token ids are loaded on demand). */
public record StoredDocument(long id, String contentHash, String name, int tokenCount, String tokensHash,
                             String metadata, long addedAt) {
}
