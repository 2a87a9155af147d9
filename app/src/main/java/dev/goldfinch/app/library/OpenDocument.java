package dev.goldfinch.app.library;

import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.store.CollectionMember;
import java.util.List;

/**
 * A read document opened from its saved cache: the snapshot every question starts from (ask on a copy of it), and
 * what sources are found in: the text, where each position's token starts in it (as the layout read it), the page map,
 * the full-text index of its sentences (built on its first search: only a model without attention searches it), and
 * for a collection its members (which one a passage lies in).
 */
public record OpenDocument(long id, InferenceState snapshot, String text, int[] textStarts, DocumentMeta meta, SentenceIndex sentences,
                           List<CollectionMember> members) {

    public OpenDocument {
        members = List.copyOf(members);
    }

    /** The collection's member whose text (or the separator before it) holds character {@code offset}; null for a document. */
    public CollectionMember memberAt(int offset) {
        for (CollectionMember m : members) if (offset < m.textEnd()) return m;
        return members.isEmpty() ? null : members.getLast();
    }

    /** Bytes it holds in memory. */
    public long bytes() {
        return snapshot.attentionCacheBytes() + (long) snapshot.position() * 4 + (long) snapshot.compressedCache().length * Float.BYTES
                + (long) text.length() * 2 + (long) textStarts.length * 4 + sentences.bytes();
    }
}
