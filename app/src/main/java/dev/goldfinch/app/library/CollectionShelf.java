package dev.goldfinch.app.library;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.store.CollectionMember;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.store.StoredDocument;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The library's collections (no UI here): making one, adding a document to it, putting its documents in another order
 * or taking one out. Each change builds the collection's content again ({@link CollectionContent}) and stores it in one
 * transaction; its saved reading stays, and the next reading goes on from where the new content agrees with it (see
 * {@link Librarian#repoint}). A collection keeps its members' text: a document removed from the library stays in the
 * collections that hold it, which are not read again for it.
 */
public final class CollectionShelf {
    private final DocumentStore store;

    CollectionShelf(DocumentStore store) {
        this.store = store;
    }

    /** A new, empty collection. */
    public long create(String name) {
        return store.collections().create(name, CollectionContent.emptyMetadata(name == null ? "" : name.strip()));
    }

    public Optional<Long> byName(String name) {
        return store.collections().byName(name);
    }

    public boolean isCollection(long documentId) {
        return store.collections().isCollection(documentId);
    }

    /** The collection's documents in order. */
    public List<CollectionMember> members(long collectionId) {
        return store.collections().members(collectionId);
    }

    /** The collection with the library's document {@code documentId} added at its end (what it holds stays as it is). */
    public CollectionContent withAdded(long collectionId, long documentId, WorldTokenizer tokenizer) {
        List<CollectionMember> members = members(collectionId);
        if (members.stream().anyMatch(m -> m.documentId() == documentId)) {
            throw new EngineException("'" + title(documentId) + "' is in the collection already");
        }
        List<Long> ids = new ArrayList<>(members.stream().map(CollectionMember::documentId).toList());
        ids.add(documentId);
        return holding(collectionId, members, ids, tokenizer);
    }

    /**
     * The collection holding exactly the library's documents {@code documentIds}, in this order: a document it holds
     * already comes from its own copy, any other from the library.
     */
    public CollectionContent holding(long collectionId, List<Long> documentIds, WorldTokenizer tokenizer) {
        return holding(collectionId, members(collectionId), documentIds, tokenizer);
    }

    private CollectionContent holding(long collectionId, List<CollectionMember> members, List<Long> documentIds, WorldTokenizer tokenizer) {
        List<CollectionContent.Part> own = parts(collectionId, members);
        List<CollectionContent.Part> parts = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (long id : documentIds) {
            if (!seen.add(id)) throw new EngineException("'" + title(id) + "' is named twice; a collection holds a document once");
            Optional<CollectionContent.Part> kept = own.stream().filter(p -> p.documentId() == id && id >= 0).findFirst();
            parts.add(kept.orElseGet(() -> fromLibrary(id)));
        }
        return CollectionContent.of(name(collectionId), parts, tokenizer);
    }

    private CollectionContent.Part fromLibrary(long documentId) {
        if (store.collections().isCollection(documentId)) throw new EngineException("a collection cannot hold another collection");
        StoredDocument d = store.documents().get(documentId).orElseThrow(() -> new EngineException("the document is no longer in the library"));
        DocumentMeta meta = Library.meta(d);
        return new CollectionContent.Part(documentId, meta.title(), store.documents().text(documentId), store.documents().tokens(documentId),
                meta.unit(), meta.pages());
    }

    /**
     * The collection with its documents in another order: {@code ordinals} are the members' present places (from 1)
     * in their new order; a member left out is taken out of the collection.
     */
    public CollectionContent arranged(long collectionId, List<Integer> ordinals, WorldTokenizer tokenizer) {
        List<CollectionMember> members = members(collectionId);
        List<CollectionContent.Part> parts = parts(collectionId, members);
        Set<Integer> seen = new HashSet<>();
        List<CollectionContent.Part> chosen = new ArrayList<>();
        for (int o : ordinals) {
            if (o < 1 || o > parts.size() || !seen.add(o)) throw new EngineException("the collection has no document " + o + " to place");
            chosen.add(parts.get(o - 1));
        }
        return CollectionContent.of(name(collectionId), chosen, tokenizer);
    }

    /** The collection without its member at {@code ordinal}. */
    public CollectionContent without(long collectionId, int ordinal, WorldTokenizer tokenizer) {
        List<Integer> rest = new ArrayList<>();
        int n = members(collectionId).size();
        if (ordinal < 1 || ordinal > n) throw new EngineException("the collection has no document " + ordinal);
        for (int o = 1; o <= n; o++) if (o != ordinal) rest.add(o);
        return arranged(collectionId, rest, tokenizer);
    }

    /** Stores new content for the collection, in one transaction. */
    public void store(long collectionId, CollectionContent content) {
        store.collections().replace(collectionId, content.text(), content.tokens(), content.metadata(), content.members());
    }

    /** The first member whose place or content differs between the stored collection and {@code next}, from 1; 0 when none does. */
    public int firstChanged(long collectionId, CollectionContent next) {
        List<CollectionMember> now = members(collectionId);
        String text = store.documents().text(collectionId);
        for (int k = 0; k < Math.max(now.size(), next.members().size()); k++) {
            if (k >= now.size() || k >= next.members().size()) return k + 1;
            CollectionMember a = now.get(k), b = next.members().get(k);
            boolean same = a.title().equals(b.title()) && a.textStart() == b.textStart()
                    && text.regionMatches(a.textStart(), next.text(), b.textStart(), a.textEnd() - a.textStart()) && a.textEnd() == b.textEnd();
            if (!same) return k + 1;
        }
        return 0;
    }

    private List<CollectionContent.Part> parts(long collectionId, List<CollectionMember> members) {
        StoredDocument d = store.documents().get(collectionId).orElseThrow(() -> new EngineException("the collection is no longer in the library"));
        return CollectionContent.partsOf(store.documents().text(collectionId), store.documents().tokens(collectionId), d.metadata(), d.name(), members);
    }

    private String name(long collectionId) {
        return store.documents().get(collectionId).map(StoredDocument::name).orElseThrow(() -> new EngineException("the collection is no longer in the library"));
    }

    private String title(long documentId) {
        return store.documents().get(documentId).map(d -> Library.meta(d).title()).orElse("the document");
    }
}
