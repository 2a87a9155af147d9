package dev.goldfinch.engine.reading;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.Prefill;
import dev.goldfinch.engine.model.RestoreProgress;
import dev.goldfinch.engine.model.SavedState;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.DamagedStoreException;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.store.Readings;
import dev.goldfinch.engine.store.ModelIdentity;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads documents into the store with one model: linear-time pre-fill in chunks, a checkpoint every few thousand
 * tokens (so a cancelled or killed pre-fill resumes instead of starting over), and the complete cache written in
 * one transaction at the end. Opens saved caches without a single recurrent-layer step over the document.
 * What it feeds the model of a document is its {@link DocumentTokens} (the stored tokens, or the document framed as
 * the model's prompt layout reads it); a cache is valid for the hash of exactly those tokens.
 */
public final class DocumentReader {
    private final DocumentStore store;
    private final Model model;
    private final long modelId;
    private final ModelIdentity identity;
    private final DocumentTokens read;
    /** Hash of what this reader reads of a document, by the document's stored tokens hash (its content). */
    private final Map<String, String> readHashes = new ConcurrentHashMap<>();
    private int chunkTokens = 256;
    private int checkpointEvery = 4096;
    /** Positions at a document's end the finish step needs ahead of a checkpoint it goes on from (0 for pure RNNs). */
    private final int tailLength;
    /** Recurrent steps the latest pre-fill ran. */
    private long stepsOfLastPrefill;
    /** Where the reader says what it did about a damaged saved reading (the command line prints it; the app logs it). */
    private Consumer<String> notices = message -> System.getLogger(DocumentReader.class.getName()).log(System.Logger.Level.WARNING, message);

    /** A reader that feeds the model the documents' stored tokens. */
    public DocumentReader(DocumentStore store, Model model) {
        this(store, model, DocumentTokens.STORED);
    }

    public DocumentReader(DocumentStore store, Model model, DocumentTokens read) {
        model.requirePersistable();
        this.store = store;
        this.model = model;
        this.read = read;
        this.identity = ModelIdentity.of(model);
        this.modelId = store.models().put(identity);
        this.tailLength = new Prefill(model, model.newState()).tailLength();
    }

    /** What this reader feeds the model of a document. */
    public DocumentTokens reading() {
        return read;
    }

    public DocumentReader chunkTokens(int n) {
        this.chunkTokens = Math.max(1, n);
        return this;
    }

    public DocumentReader checkpointEvery(int n) {
        this.checkpointEvery = Math.max(1, n);
        return this;
    }

    public DocumentReader onNotice(Consumer<String> notices) {
        this.notices = notices;
        return this;
    }

    public long modelId() {
        return modelId;
    }

    /**
     * The hash of the tokens this reader feeds the model for a document: what its cache must have been read from. For
     * a reader of the stored tokens it is the document's own tokens hash.
     */
    public String tokensHash(long documentId) {
        String stored = store.documents().get(documentId).map(d -> d.tokensHash()).orElse(null);
        if (stored == null) return DocumentStore.tokensHash(read.of(store, documentId));
        if (read == DocumentTokens.STORED) return stored; // the store keeps that hash with the tokens
        return readHashes.computeIfAbsent(stored, k -> DocumentStore.tokensHash(read.of(store, documentId)));
    }

    /** How many tokens a reading of the document covers (as this reader frames them). */
    public int tokenCount(long documentId) {
        return read.of(store, documentId).length;
    }

    /**
     * How many token steps the recurrent layers ran in this reader's latest pre-fill: 0 when the document was read
     * already, the tokens after the checkpoint it went on from otherwise.
     */
    public long stepsOfLastPrefill() {
        return stepsOfLastPrefill;
    }

    /** The document's complete, usable cache for this model, if there is one. */
    public Optional<CacheInfo> savedCache(long documentId) {
        return store.readings().cache(documentId, modelId, true);
    }

    /**
     * Pre-fills a stored document unless its cache is already complete, resuming from a checkpoint if one exists.
     * Throws {@link PrefillCancelledException} when cancelled (after saving a checkpoint).
     */
    public CacheInfo prefill(long documentId, CachePrecision precision, PrefillProgress.Listener listener, BooleanSupplier cancelled) {
        return prefill(documentId, precision, listener, cancelled, () -> { });
    }

    /**
     * Like {@link #prefill(long, CachePrecision, PrefillProgress.Listener, BooleanSupplier)}, running {@code betweenChunks}
     * on this thread after every chunk: other work on the model (a question, which must not wait for a whole reading)
     * goes there, on states of its own, while this reading's state waits in memory and then reads on.
     */
    public CacheInfo prefill(long documentId, CachePrecision precision, PrefillProgress.Listener listener, BooleanSupplier cancelled,
                             Runnable betweenChunks) {
        return prefill(documentId, precision, listener, cancelled, betweenChunks, null);
    }

    /**
     * A reading's first positions read elsewhere: the state after the first tokens of the document (several documents
     * that begin alike read their common beginning once) and the seconds that took (kept with the reading, so the
     * pace measured from it stays true). A copy of the state is read on; the state itself is not changed.
     */
    public record Start(InferenceState state, double seconds) {
    }

    /**
     * Like {@link #prefill(long, CachePrecision, PrefillProgress.Listener, BooleanSupplier)}, but a new reading goes on
     * from {@code start} when its tokens are the document's first ones (else, or when a partial reading resumes, it is
     * not used). The saved reading is the one a reading from the first token makes (bit for bit in the same chunks):
     * every row and checkpoint is written.
     */
    public CacheInfo prefill(long documentId, CachePrecision precision, PrefillProgress.Listener listener, BooleanSupplier cancelled, Start start) {
        return prefill(documentId, precision, listener, cancelled, () -> { }, start);
    }

    /** Both: {@code betweenChunks} after every chunk, and a new reading going on from {@code start} (or null). */
    public CacheInfo prefill(long documentId, CachePrecision precision, PrefillProgress.Listener listener, BooleanSupplier cancelled,
                             Runnable betweenChunks, Start start) {
        stepsOfLastPrefill = 0;
        Optional<CacheInfo> done = savedCache(documentId);
        int[] tokens = read.of(store, documentId);
        String tokensHash = DocumentStore.tokensHash(tokens);
        store.documents().get(documentId).ifPresent(d -> readHashes.put(d.tokensHash(), tokensHash));
        if (done.isPresent() && done.get().tokensHash().equals(tokensHash) && done.get().modelIdentity().equals(identity.identity())) {
            return done.get();
        }
        // a collection with no documents is no reading, even where the layout frames it (G1's turn around nothing)
        if (store.collections().isCollection(documentId) && store.collections().members(documentId).isEmpty()) {
            throw new EngineException("the collection holds no documents yet: add one to it first");
        }
        if (tokens.length == 0) throw new EngineException("the document has no text to read");
        int[] kept = read.keptPositions(store, documentId);
        int width = model.config().compressedWidth();
        long cacheId;
        InferenceState state;
        Optional<CacheInfo> partial = store.readings().cache(documentId, modelId, false);
        double secondsBefore = 0;
        InferenceState resumed = null;
        boolean begun = false; // a new reading going on from a start read elsewhere
        if (partial.isPresent() && partial.get().precision() == precision && partial.get().tokensHash().equals(tokensHash)
                && partial.get().modelIdentity().equals(identity.identity()) && partial.get().positions() > 0
                && tokens.length - partial.get().positions() >= tailLength) { // a collection member's end can lie just before the turn end
            try {
                resumed = restore(partial.get(), tokensHash, RestoreProgress.NONE);
            } catch (DamagedStoreException e) {
                resumed = salvage(partial.get(), tokensHash, e);
            }
        }
        if (resumed != null) {
            cacheId = partial.get().id();
            state = resumed;
            secondsBefore = store.readings().cache(cacheId).orElseThrow().seconds();
        } else {
            Optional<Agreement> agreed = agreement(documentId, tokens, precision);
            InferenceState goingOn = agreed.map(this::restoreAgreed).orElse(null);
            if (goingOn != null) {
                // the reading of other tokens (a collection before a change) goes on from where they agree with these
                cacheId = agreed.get().info().id();
                store.readings().repoint(cacheId, agreed.get().position(), tokensHash, tokens.length);
                state = goingOn;
                secondsBefore = store.readings().cache(cacheId).orElseThrow().seconds();
            } else {
                cacheId = store.readings().begin(documentId, modelId, identity.identity(), tokensHash, precision, width, tokens.length);
                begun = start != null && startsWith(tokens, start.state());
                state = begun ? start.state().copy() : model.newState();
                secondsBefore = begun ? start.seconds() : 0;
            }
        }
        state.reserve(tokens.length, width); // the document's length is known: its caches are allocated once, to size
        Prefill prefill = new Prefill(model, state);
        int saved = begun ? 0 : state.position(); // a reading begun elsewhere has written nothing yet
        int startedAt = state.position();
        long stepsBefore = state.recurrentSteps();
        long t0 = System.nanoTime();
        while (state.position() < tokens.length) {
            if (cancelled.getAsBoolean()) {
                // Keep what was read since the last checkpoint, where the finish step still has its tail ahead.
                int pos = state.position();
                if (pos > saved && tokens.length - pos >= prefill.tailLength()) {
                    writeRows(cacheId, state, saved, pos, secondsBefore + (System.nanoTime() - t0) / 1e9, false, false);
                    saved = pos;
                }
                throw new PrefillCancelledException(saved);
            }
            int from = state.position();
            int n = Math.min(chunkTokens, tokens.length - from);
            int nextKept = nextKept(kept, from);
            if (nextKept > 0) n = Math.min(n, nextKept - from); // a chunk ends at a collection member's end, where its states are kept
            prefill.feed(tokens, from, n);
            int pos = state.position();
            double secs = (System.nanoTime() - t0) / 1e9;
            double rate = secs > 0 ? (pos - startedAt) / secs : 0;
            listener.onProgress(new PrefillProgress(pos, tokens.length, rate, rate > 0 ? (tokens.length - pos) / rate : Double.NaN));
            long paused = System.nanoTime();
            betweenChunks.run();
            t0 += System.nanoTime() - paused; // the time given to other work is not this reading's
            // Checkpoint only where the finish step still has the tail it needs ahead of it.
            boolean tailAhead = tokens.length - pos >= prefill.tailLength();
            // A member's end is kept whatever the tail: it is gone on from by a longer reading (a document added after it).
            boolean memberEnd = pos < tokens.length && nextKept(kept, pos - 1) == pos;
            if (memberEnd || (pos - saved >= checkpointEvery && pos < tokens.length && tailAhead)) {
                writeRows(cacheId, state, saved, pos, secondsBefore + secs, false, memberEnd);
                saved = pos;
            }
        }
        prefill.finish();
        stepsOfLastPrefill = state.recurrentSteps() - stepsBefore;
        boolean endKept = kept.length > 0 && kept[kept.length - 1] == tokens.length;
        writeRows(cacheId, state, saved, tokens.length, secondsBefore + (System.nanoTime() - t0) / 1e9, true, endKept);
        return savedCache(documentId).orElseThrow();
    }

    /** Whether {@code state} read exactly the first tokens of {@code tokens}, leaving the finish step's tail ahead of it. */
    private boolean startsWith(int[] tokens, InferenceState state) {
        int p = state.position();
        if (p <= 0 || tokens.length - p < Math.max(1, new Prefill(model, state).tailLength())) return false;
        return java.util.Arrays.equals(state.tokens(0, p), 0, p, tokens, 0, p);
    }

    /** The first kept position after {@code from}, or −1. */
    private static int nextKept(int[] kept, int from) {
        for (int k : kept) if (k > from) return k;
        return -1;
    }

    private void writeRows(long cacheId, InferenceState state, int from, int to, double seconds, boolean complete, boolean kept) {
        int width = model.config().compressedWidth();
        store.readings().write(cacheId, new Readings.SavedRows(from, to - from, state.tokens(from, to), state.compressedRows(from, to, width), width),
                model.saveLayers(state), seconds, complete, kept);
    }

    /** A checkpoint of a reading whose tokens before it are the first ones of other tokens, read back (checked). */
    private record Agreement(CacheInfo info, int position, SavedState saved) {
    }

    /**
     * The newest checkpoint among this document's readings with this model (complete or not, in this precision) up to
     * which they read exactly the first tokens of {@code tokens}, with the finish step's tail still ahead of it: where a
     * reading of {@code tokens} can go on from. The token ids are compared with the ones stored with the reading's
     * rows (checked against their checksums), not assumed from a hash.
     */
    private Optional<Agreement> agreement(long documentId, int[] tokens, CachePrecision precision) {
        Agreement best = null;
        for (boolean complete : new boolean[] {false, true}) {
            Optional<CacheInfo> found = store.readings().cache(documentId, modelId, complete);
            if (found.isEmpty()) continue;
            CacheInfo info = found.get();
            if (info.problem() != null || info.precision() != precision || !info.modelIdentity().equals(identity.identity())) continue;
            for (int p : store.readings().checkpoints(info)) {
                if (p >= tokens.length || tokens.length - p < tailLength || (best != null && p <= best.position())) continue;
                try {
                    SavedState saved = store.readings().loadCheckpoint(info, p, identity.identity(), info.tokensHash());
                    if (java.util.Arrays.equals(saved.tokens(), 0, p, tokens, 0, p)) {
                        best = new Agreement(info, p, saved);
                        break;
                    }
                } catch (EngineException damagedOrOther) {
                    // an older checkpoint of it may be intact
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The agreed checkpoint as a working state, or null when the model cannot take it (damage: read from the start). */
    private InferenceState restoreAgreed(Agreement agreed) {
        try {
            return model.restore(agreed.saved());
        } catch (EngineException e) {
            return null;
        }
    }

    /**
     * After a collection changed (a document added, removed or moved): this model's reading of it is re-pointed at its
     * new tokens now, at the newest checkpoint where they still agree, so where it stands, and what is left to read, is
     * known before it goes on. Returns the position its reading goes on from: all of it when it is read, 0 when it must
     * be read from the start. Nothing is read here.
     */
    public int repoint(long documentId, CachePrecision precision) {
        int[] tokens = read.of(store, documentId);
        String tokensHash = DocumentStore.tokensHash(tokens);
        int readUpTo = readUpTo(documentId, tokens, tokensHash, precision);
        if (readUpTo >= 0) return readUpTo;
        Optional<Agreement> agreed = agreement(documentId, tokens, precision);
        if (agreed.isEmpty()) return 0;
        store.readings().repoint(agreed.get().info().id(), agreed.get().position(), tokensHash, tokens.length);
        return agreed.get().position();
    }

    /**
     * Where a reading of other tokens for this document (a collection's, after a change not made yet) would go on
     * from: what {@link #repoint} would say if they were the document's. Nothing is read or written.
     */
    public int goesOnFrom(long documentId, int[] tokens, CachePrecision precision) {
        int readUpTo = readUpTo(documentId, tokens, DocumentStore.tokensHash(tokens), precision);
        if (readUpTo >= 0) return readUpTo;
        return agreement(documentId, tokens, precision).map(Agreement::position).orElse(0);
    }

    /** How far a reading of exactly these tokens is (all of them when complete), or −1 when there is none to go on from. */
    private int readUpTo(long documentId, int[] tokens, String tokensHash, CachePrecision precision) {
        if (tokens.length == 0) return 0;
        Optional<CacheInfo> done = savedCache(documentId).filter(c -> c.tokensHash().equals(tokensHash) && c.problem() == null);
        if (done.isPresent()) return tokens.length;
        Optional<CacheInfo> partial = store.readings().cache(documentId, modelId, false)
                .filter(c -> c.tokensHash().equals(tokensHash) && c.problem() == null && c.precision() == precision);
        if (partial.isPresent() && partial.get().positions() > 0 && tokens.length - partial.get().positions() >= tailLength) return partial.get().positions();
        return -1;
    }

    /**
     * The document's end state rebuilt from its saved cache: every GOLD key and value comes from the token ids and
     * cc_t; no recurrent layer runs (the returned state's recurrentSteps() is 0). Treat it as an immutable snapshot:
     * ask questions on {@link InferenceState#copy()}s of it.
     */
    public InferenceState open(long documentId) {
        return open(documentId, RestoreProgress.NONE);
    }

    /** Like {@link #open(long)}, saying how far a hybrid's attention layers are rebuilt. */
    public InferenceState open(long documentId, RestoreProgress progress) {
        CacheInfo info = savedCache(documentId).orElseThrow(() -> new EngineException("document " + documentId + " has no saved cache for this model"));
        return restore(info, tokensHash(documentId), progress);
    }

    /**
     * Like {@link #open}, but a damaged saved reading is said (one line to the notices) and read again, once, from its
     * last intact checkpoint; every other document's reading stays as it was.
     */
    public InferenceState openOrReadAgain(long documentId, CachePrecision precision, PrefillProgress.Listener listener, BooleanSupplier cancelled) {
        return openOrReadAgain(documentId, precision, listener, cancelled, RestoreProgress.NONE);
    }

    /** Like {@link #openOrReadAgain(long, CachePrecision, PrefillProgress.Listener, BooleanSupplier)}, saying how far reopening is. */
    public InferenceState openOrReadAgain(long documentId, CachePrecision precision, PrefillProgress.Listener listener, BooleanSupplier cancelled,
                                          RestoreProgress reopening) {
        prefill(documentId, precision, listener, cancelled);
        try {
            return open(documentId, reopening);
        } catch (DamagedStoreException e) {
            salvage(e);
            prefill(documentId, precision, listener, cancelled);
            return open(documentId, reopening);
        }
    }

    /**
     * Makes a damaged saved reading one that can be read on: taken back to its newest checkpoint that is intact (the
     * layer states there and every row before it pass their checksums, and the model takes them), or deleted when it
     * has none. Says which in one line to the notices; returns the position the reading goes on from (0: the start).
     * Nothing else in the store changes.
     */
    public int salvage(DamagedStoreException damaged) {
        if (!damaged.isCache()) throw damaged;
        CacheInfo info = store.readings().cache(damaged.cacheId()).orElseThrow(() -> damaged);
        InferenceState state = salvage(info, tokensHash(info.documentId()), damaged);
        return state == null ? 0 : state.position();
    }

    private InferenceState salvage(CacheInfo info, String tokensHash, DamagedStoreException damaged) {
        if (info.problem() == null) {
            for (int p : store.readings().checkpoints(info)) {
                if (p >= info.positions()) continue; // the newest: what was found damaged
                InferenceState state;
                try {
                    state = model.restore(store.readings().loadCheckpoint(info, p, identity.identity(), tokensHash));
                } catch (EngineException e) {
                    continue; // damaged as well: an older one
                }
                store.readings().rewind(info.id(), p);
                notices.accept(String.format("%s; it will be read again from token %,d of %,d, its last intact checkpoint",
                        damaged.getMessage(), p, info.totalTokens()));
                return state;
            }
        }
        store.readings().delete(info.id());
        notices.accept(damaged.getMessage() + "; it will be read again from the start");
        return null;
    }

    /** A saved reading as a working state; what the store gives back but the model cannot take is damage too. */
    private InferenceState restore(CacheInfo info, String tokensHash, RestoreProgress progress) {
        SavedState saved = store.readings().load(info, identity.identity(), tokensHash);
        try {
            return model.restore(saved, progress);
        } catch (EngineException e) {
            throw store.readings().damaged(info, e.getMessage());
        }
    }
}
