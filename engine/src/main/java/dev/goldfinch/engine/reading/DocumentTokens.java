package dev.goldfinch.engine.reading;

import dev.goldfinch.engine.store.DocumentStore;

/**
 * The token sequence a reader feeds the model for a stored document: its stored tokens as they are, or the document
 * framed the way a model's prompt layout reads it. It must not depend on any question (the saved state serves them all)
 * and must give the same tokens every time for the same document (the cache is checked against their hash).
 */
@FunctionalInterface
public interface DocumentTokens {
    /** The document's stored tokens, unchanged: how every existing cache was read. */
    DocumentTokens STORED = (store, documentId) -> store.documents().tokens(documentId);

    int[] of(DocumentStore store, long documentId);
}
