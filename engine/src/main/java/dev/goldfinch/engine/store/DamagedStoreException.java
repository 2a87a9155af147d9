package dev.goldfinch.engine.store;

import dev.goldfinch.engine.EngineException;

/**
 * A part of the store that fails its checksum or holds values no writer of it produces. It names the document and
 * what is damaged; everything else in the store is untouched. For a damaged saved reading ({@link #cacheId} ≥ 0) the
 * remedy is to read the document again; for a document's own text or token ids, to add the document again.
 */
public final class DamagedStoreException extends EngineException {
    private final long documentId;
    private final long cacheId;
    private final String detail;

    DamagedStoreException(String message, String detail, long documentId, long cacheId) {
        super(message);
        this.detail = detail;
        this.documentId = documentId;
        this.cacheId = cacheId;
    }

    /** What is damaged, without the document's name ("layer 0's state fails its checksum"). */
    public String detail() {
        return detail;
    }

    public long documentId() {
        return documentId;
    }

    /** The damaged cache, or −1 when the document's own text or token ids are damaged. */
    public long cacheId() {
        return cacheId;
    }

    public boolean isCache() {
        return cacheId >= 0;
    }
}
