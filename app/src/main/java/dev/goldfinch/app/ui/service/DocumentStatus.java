package dev.goldfinch.app.ui.service;

import dev.goldfinch.app.ui.store.DocumentMeta;
import dev.goldfinch.engine.store.StoredDocument;

/**
 * A document of the library and its cache for the model in use.
 *
 * @param positions tokens read so far (all of them when ready)
 * @param cacheBytes bytes the saved cache takes in the store (0 without one)
 */
public record DocumentStatus(StoredDocument document, DocumentMeta meta, CacheState state, int positions, long cacheBytes) {

    public long id() {
        return document.id();
    }

    public String title() {
        return meta.title();
    }

    public int tokens() {
        return document.tokenCount();
    }

    public int pages() {
        return meta.pages().isEmpty() ? 1 : meta.pages().size();
    }

    public double fraction() {
        return tokens() == 0 ? 0 : Math.min(1, (double) positions / tokens());
    }
}
