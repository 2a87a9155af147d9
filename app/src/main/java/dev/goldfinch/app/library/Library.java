package dev.goldfinch.app.library;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.io.InputFiles;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.Conversations;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.store.StoredDocument;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import dev.goldfinch.ingest.IngestException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The documents of one store, as the window and the command line both use them (no UI here): adding a file (read
 * and tokenized once: the same bytes are one document), where each document's reading stands, its text and page
 * map, its conversations, removing it. A {@link Librarian} reads the documents with a model and answers about them.
 */
public final class Library implements AutoCloseable {
    private final DocumentStore store;
    private final DocumentSource source;

    public Library(DocumentStore store, DocumentSource source) {
        this.store = store;
        this.source = source;
    }

    /** Opens (or creates) the store file; documents are read with {@code source}. */
    public static Library open(Path storeFile, DocumentSource source) {
        return new Library(DocumentStore.open(storeFile), source);
    }

    public DocumentStore store() {
        return store;
    }

    public Conversations conversations() {
        return store.conversations();
    }

    /** The collections: documents read one after another into one reading. */
    public CollectionShelf collections() {
        return new CollectionShelf(store);
    }

    /** The result of adding a file: the document's id, its title, and whether the library already had it. */
    public record Added(long documentId, String title, boolean alreadyThere, List<String> warnings) {
    }

    /**
     * Adds a file: a file whose bytes the library already holds is that document (nothing is read again); else it is
     * read, its text tokenized with {@code tokenizer} and stored with its page map.
     */
    public Added add(Path file, WorldTokenizer tokenizer) {
        return add(file, tokenizer, AddOptions.plain());
    }

    /**
     * Adds a file read as {@code how} says; OCR is used too when it was chosen for this file before (a document
     * added from the same path with OCR). Cancelled, nothing is added: the document is stored in one transaction,
     * after it has been read and tokenized, or not at all.
     */
    public Added add(Path file, WorldTokenizer tokenizer, AddOptions how) {
        InputFiles.requireRegular(file, file.toString()); // before its bytes are hashed: a pipe would be read forever
        Optional<Added> known = known(dev.goldfinch.ingest.Ingestor.contentHash(file));
        if (known.isPresent()) return known.get();
        String path = file.toAbsolutePath().toString();
        AddOptions chosen = how.ocr() || !ocrChosenFor(path) ? how : how.withOcr(true);
        SourceDocument doc = source.read(file, chosen);
        known = known(doc.contentHash()); // the same bytes, unless the file changed since it was hashed
        if (known.isPresent()) return known.get();
        int[] tokens = tokenizer.encode(doc.text());
        if (tokens.length == 0) throw new EngineException(file.getFileName() + ": the document has no text");
        if (chosen.cancelled().getAsBoolean()) {
            throw new IngestException(IngestException.Reason.CANCELLED, file, file.getFileName() + " was not added: adding it was cancelled");
        }
        String meta = DocumentMeta.of(doc, path, chosen.ocr()).toJson();
        long id = store.documents().put(doc.contentHash(), file.getFileName().toString(), doc.text(), tokens, meta);
        System.getLogger(Library.class.getName()).log(System.Logger.Level.INFO, "added " + file + " as document " + id + " (" + tokens.length + " tokens)");
        return new Added(id, doc.title(), false, doc.warnings());
    }

    /** Whether a document of the library came from {@code path} read with OCR (the person chose it then). */
    private boolean ocrChosenFor(String path) {
        return store.documents().all().stream().map(Library::meta).anyMatch(m -> m.ocr() && path.equals(m.source()));
    }

    private Optional<Added> known(String contentHash) {
        return store.documents().byHash(contentHash).map(d -> new Added(d.id(), meta(d).title(), true, List.of()));
    }

    public void remove(long documentId) {
        store.documents().delete(documentId);
    }

    public StoredDocument document(long documentId) {
        return store.documents().get(documentId).orElseThrow(() -> new EngineException("the document is no longer in the library"));
    }

    /** The document's title, source file, format and page map. */
    public DocumentMeta meta(long documentId) {
        return meta(document(documentId));
    }

    public static DocumentMeta meta(StoredDocument d) {
        return DocumentMeta.parse(d.metadata(), d.name());
    }

    public String text(long documentId) {
        return store.documents().text(documentId);
    }

    /**
     * Every document with where its reading stands for one model ({@code modelId}; −1 for none): ready, paused,
     * being read (those in {@code beingRead}), out of date or not read. {@code readHash} gives the hash of the tokens
     * the model reads of a document (its prompt layout may frame them): a reading of other tokens is out of date.
     */
    public List<DocumentStatus> statuses(long modelId, Function<StoredDocument, String> readHash, Set<Long> beingRead) {
        List<CacheInfo> caches = store.readings().all();
        Set<Long> collections = Set.copyOf(store.collections().all());
        List<DocumentStatus> out = new ArrayList<>();
        for (StoredDocument d : store.documents().all()) {
            DocumentStatus s = status(d, readHash.apply(d), caches, modelId, beingRead.contains(d.id()));
            out.add(collections.contains(d.id()) ? s.asCollection(memberCount(d)) : s);
        }
        return out;
    }

    /** How many documents a collection holds; a damaged one is still listed (reading it says what is damaged). */
    private int memberCount(StoredDocument collection) {
        try {
            return store.collections().members(collection.id()).size();
        } catch (EngineException damaged) {
            System.getLogger(Library.class.getName()).log(System.Logger.Level.WARNING, damaged.getMessage());
            return 0;
        }
    }

    private static DocumentStatus status(StoredDocument d, String readHash, List<CacheInfo> caches, long modelId, boolean reading) {
        DocumentMeta meta = meta(d);
        CacheInfo complete = null, partial = null;
        boolean other = false;
        for (CacheInfo c : caches) {
            if (c.documentId() != d.id()) continue;
            if (c.modelId() != modelId) {
                other |= c.complete();
            } else if (c.complete()) {
                complete = c;
            } else {
                partial = c;
            }
        }
        if (reading) {
            boolean resumes = partial != null && partial.tokensHash().equals(readHash);
            return new DocumentStatus(d, meta, CacheState.READING, resumes ? partial.positions() : 0, partial == null ? 0 : partial.bytes() + partial.stateBytes(),
                    resumes ? partial.totalTokens() : d.tokenCount());
        }
        if (complete != null && complete.tokensHash().equals(readHash)) {
            return new DocumentStatus(d, meta, CacheState.READY, complete.positions(), complete.bytes() + complete.stateBytes(), complete.totalTokens());
        }
        if (partial != null && partial.tokensHash().equals(readHash) && partial.positions() > 0) {
            return new DocumentStatus(d, meta, CacheState.PAUSED, partial.positions(), partial.bytes() + partial.stateBytes(), partial.totalTokens());
        }
        if (complete != null || other) {
            long bytes = complete == null ? 0 : complete.bytes() + complete.stateBytes();
            return new DocumentStatus(d, meta, CacheState.OUT_OF_DATE, 0, bytes);
        }
        return new DocumentStatus(d, meta, CacheState.NOT_READ, 0, 0);
    }

    @Override
    public void close() {
        store.close();
    }
}
