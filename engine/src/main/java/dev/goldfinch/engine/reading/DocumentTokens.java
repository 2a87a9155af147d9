package dev.goldfinch.engine.reading;

import dev.goldfinch.engine.store.CollectionMember;
import dev.goldfinch.engine.store.DocumentStore;

/**
 * The token sequence a reader feeds the model for a stored document: its stored tokens as they are, or the document
 * framed the way a model's prompt layout reads it. It must not depend on any question (the saved state serves them all)
 * and must give the same tokens every time for the same document (the cache is checked against their hash).
 */
@FunctionalInterface
public interface DocumentTokens {
    /** The document's stored tokens, unchanged: how every existing cache was read (a collection's: its members' one after another). */
    DocumentTokens STORED = new DocumentTokens() {
        @Override
        public int[] of(DocumentStore store, long documentId) {
            return store.documents().tokens(documentId);
        }

        @Override
        public int[] keptPositions(DocumentStore store, long documentId) {
            return store.collections().members(documentId).stream().mapToInt(CollectionMember::tokenEnd).toArray();
        }
    };

    int[] of(DocumentStore store, long documentId);

    /**
     * Positions of {@link #of} where a reading keeps its layer states for good, ascending: the end of each member of a
     * collection (a document added later goes on from the last one; one removed or moved, from the one before it).
     * None for a single document.
     */
    default int[] keptPositions(DocumentStore store, long documentId) {
        return new int[0];
    }
}
