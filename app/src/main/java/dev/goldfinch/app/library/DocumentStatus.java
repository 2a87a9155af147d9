package dev.goldfinch.app.library;

import dev.goldfinch.app.library.DocumentMeta;
import dev.goldfinch.engine.store.StoredDocument;

/**
 * A document of the library and its cache for the model in use.
 *
 * @param positions tokens read so far (all of them when ready)
 * @param cacheBytes bytes the saved cache takes in the store (0 without one)
 * @param readTokens tokens the reading covers: the document's, or as many as its layout's document turn has (G1)
 * @param members    how many documents it holds when it is a collection; −1 for a document
 */
public record DocumentStatus(StoredDocument document, DocumentMeta meta, CacheState state, int positions, long cacheBytes, int readTokens, int members) {

    public DocumentStatus(StoredDocument document, DocumentMeta meta, CacheState state, int positions, long cacheBytes, int readTokens) {
        this(document, meta, state, positions, cacheBytes, readTokens, -1);
    }

    public DocumentStatus(StoredDocument document, DocumentMeta meta, CacheState state, int positions, long cacheBytes) {
        this(document, meta, state, positions, cacheBytes, document.tokenCount());
    }

    /** A collection: documents read one after another into one reading. */
    public boolean isCollection() {
        return members >= 0;
    }

    /** The same status marked as a collection of {@code count} documents. */
    DocumentStatus asCollection(int count) {
        return new DocumentStatus(document, meta, state, positions, cacheBytes, readTokens, count);
    }

    public long id() {
        return document.id();
    }

    public String title() {
        return meta.title();
    }

    /** The document's tokens. */
    public int tokens() {
        return document.tokenCount();
    }

    public int pages() {
        return meta.pages().isEmpty() ? 1 : meta.pages().size();
    }

    /** Where a reading of it goes on from: a paused reading's position, else the start. */
    public int readFrom() {
        return state == CacheState.PAUSED ? positions : 0;
    }

    public double fraction() {
        return readTokens == 0 ? 0 : Math.min(1, (double) positions / readTokens);
    }
}
