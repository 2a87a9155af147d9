package dev.goldfinch.app.ui.service;

import dev.goldfinch.app.library.AddOptions;
import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.app.library.Librarian;
import dev.goldfinch.app.library.Library;
import dev.goldfinch.app.library.OpenDocument;
import dev.goldfinch.app.library.Source;
import dev.goldfinch.app.library.ReadingEstimate;
import dev.goldfinch.app.library.ReadingTransfer;
import dev.goldfinch.app.library.DocumentStatus;
import dev.goldfinch.app.library.DocumentSource;
import dev.goldfinch.app.library.CollectionContent;
import dev.goldfinch.app.library.CollectionShelf;
import dev.goldfinch.app.library.DocumentMeta;
import dev.goldfinch.app.recall.RecallCheck;
import dev.goldfinch.app.recall.RecallCost;
import dev.goldfinch.app.recall.RecallGrid;
import dev.goldfinch.app.recall.RecallHistory;
import dev.goldfinch.app.recall.RecallPlan;
import dev.goldfinch.app.library.ReadingChange;
import dev.goldfinch.engine.store.CollectionMember;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.store.StoredRecallCheck;
import dev.goldfinch.engine.answer.Answer;
import dev.goldfinch.engine.answer.AnswerOptions;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.kernel.Parallel;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelConfig;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.RestoreProgress;
import dev.goldfinch.engine.model.WeightFormat;
import dev.goldfinch.engine.reading.DocumentReader;
import dev.goldfinch.engine.reading.PrefillProgress;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.Conversation;
import dev.goldfinch.engine.store.Conversations;
import dev.goldfinch.engine.store.DamagedStoreException;
import dev.goldfinch.engine.store.Message;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.store.TransferProgress;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import dev.goldfinch.ingest.IngestOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Everything the window asks of the engine and the store, off the JavaFX thread. One thread runs the model
 * (loading, reading, answering: one thing at a time, in the order asked), one imports files, one does the small
 * store work (library, conversations); results come back as futures, progress and streamed text through the
 * {@code fx} executor (Platform::runLater in the app). Closing cancels what runs — a reading keeps what it
 * saved at its last checkpoint and resumes on the next start — and then closes the model and the store.
 * <p>Its size (over 500 lines) is earned by what it owns and no other class may: the three threads, and on the model
 * thread the model in use, the opened documents and the follow-up memories, which must change together (a new model
 * or layout drops them all). The use cases themselves are in {@code app.library}; each method here only puts one on
 * the right thread and brings its result back.
 */
public final class ReaderService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ReaderService.class.getName());
    /** Opened documents kept in memory, so the next question does not rebuild them. */
    private static final int SNAPSHOTS_KEPT = 2;

    private final Path storeFile;
    private final Library library;
    private final DocumentStore store;
    private final Executor fx;
    private final ExecutorService modelThread = Executors.newSingleThreadExecutor(named("goldfinch-model"));
    private final ExecutorService importThread = Executors.newSingleThreadExecutor(named("goldfinch-import"));
    private final ExecutorService storeThread = Executors.newSingleThreadExecutor(named("goldfinch-store"));
    private final Set<Job<?>> jobs = ConcurrentHashMap.newKeySet();
    /** Questions asked while a reading runs: answered between two of its chunks (model thread). */
    private final java.util.Queue<Runnable> questionsFirst = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile Consumer<Long> readingPaused = id -> { };
    private final Map<Long, Job<CacheInfo>> readings = new ConcurrentHashMap<>();
    /** Model thread only. */
    private final LinkedHashMap<Long, OpenDocument> snapshots = new LinkedHashMap<>(4, 0.75f, true);
    /** Follow-up memories holding a state (model thread only; weak, so a conversation that is let go frees its state). */
    private final Set<FollowUp> followUps = java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());
    private volatile Engine engine;
    /** How long readings take with the model in use (see {@link #readingPace()}); null before a model. */
    private volatile ReadingEstimate pace;
    private volatile boolean closing;
    private volatile long snapshotBytes;
    private volatile CachePrecision precision = CachePrecision.F16;
    private volatile int checkpointEvery = 2048;
    /** The layout setting, for models without a template of their own. */
    private volatile PromptLayout chosenLayout = PromptLayout.PLAIN;

    // What tests (and the status bar) read: how much document reading this process did.
    private final AtomicLong tokensRead = new AtomicLong();
    private final AtomicLong documentsOpened = new AtomicLong();
    private final AtomicLong openRecurrentSteps = new AtomicLong();
    private volatile long lastOpenRecurrentSteps = -1;

    /** How many passages an answer cites at most. */
    private static final int SOURCES = 3;

    /**
     * The model at work on the library and what the window shows of it; replaced whole when another model (or another
     * layout) is chosen. Its librarian reads documents the way the layout frames them and puts every question in it.
     */
    private record Engine(Librarian librarian, ModelInfo info) {
        DocumentReader reader() {
            return librarian.reader();
        }

        Model model() {
            return librarian.model();
        }
    }

    private ReaderService(Path storeFile, Library library, Executor fx) {
        this.storeFile = storeFile;
        this.library = library;
        this.store = library.store();
        this.fx = fx;
    }

    /** Opens (or creates) the store on a background thread. */
    public static CompletableFuture<ReaderService> open(Path storeFile, DocumentSource source, Executor fx) {
        return CompletableFuture.supplyAsync(() -> {
            return new ReaderService(storeFile, Library.open(storeFile, source), fx);
        }, Executors.newVirtualThreadPerTaskExecutor());
    }

    public Path storeFile() {
        return storeFile;
    }

    /** Whether the store is read-only (a read-only file or file system): saved readings answer, nothing new is saved. */
    public boolean readOnly() {
        return store.readOnly();
    }

    /** The store's conversations (read and written on the store thread through the methods below; tests read them here). */
    public Conversations conversations() {
        return store.conversations();
    }

    /** The document's conversations, newest first. */
    public CompletableFuture<List<Conversation>> conversationsOf(long documentId) {
        return onStoreThread(() -> store.conversations().of(documentId));
    }

    /** A conversation's messages, in the order they were written. */
    public CompletableFuture<List<Message>> messagesOf(long conversationId) {
        return onStoreThread(() -> store.conversations().messages(conversationId));
    }

    /**
     * Saves a question: in its conversation, or (null) in a new one with the given title; the conversation it is in.
     * Questions and answers are saved in the order they are asked for (one store thread).
     */
    public CompletableFuture<Conversation> saveQuestion(Conversation in, long documentId, String title, String question) {
        return onStoreThread(() -> {
            Conversation c = in != null ? in : store.conversations().create(documentId, title);
            store.conversations().add(c.id(), Message.Role.USER, question, null, null);
            return c;
        });
    }

    /** Saves an answer with its thinking (or null) and its sources (JSON, or null). */
    public CompletableFuture<Message> saveAnswer(Conversation in, String text, String thinking, String sources) {
        return onStoreThread(() -> store.conversations().add(in.id(), Message.Role.ASSISTANT, text, thinking, sources));
    }

    // ---- the model ---------------------------------------------------------------------------------------------

    /**
     * Loads a checkpoint and its vocabulary, the large matrices as stored or as int8 (quantized on the first load, then
     * read from the int8 weight cache), replacing the model in use once the new one is loaded.
     */
    public CompletableFuture<ModelInfo> loadModel(Path checkpoint, Path vocabulary, int threads, WeightFormat weights) {
        return onModelThread(() -> {
            Parallel.setThreads(threads);
            WorldTokenizer tokenizer = WorldTokenizer.load(vocabulary);
            Model model = ModelLoader.load(checkpoint, OptionalDouble.empty(), weights);
            try {
                ModelConfig c = model.config();
                PromptLayout layout = PromptLayout.forArchitecture(c.architecture().id, chosenLayout);
                String name = checkpoint.getFileName().toString().replaceFirst("\\.pth$", "");
                String description = c.describe() + (model.weightFormat() == WeightFormat.INT8 ? "; int8 weights" : "");
                ModelInfo info = new ModelInfo(checkpoint, vocabulary, name, description, model.checkpoint().fileSize(), Parallel.threads(),
                        model.weightFormat(), layout);
                Engine old = engine;
                engine = new Engine(librarian(model, tokenizer, layout), info);
                Engine loaded = engine;
                // off the model thread: the window waits for the model, not for the half-second speed probe
                CompletableFuture.runAsync(() -> measurePace(loaded));
                dropSnapshots();
                if (old != null) old.model().close();
                LOG.log(System.Logger.Level.INFO, "model loaded: " + description + " from " + checkpoint);
                return info;
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        });
    }

    private Librarian librarian(Model model, WorldTokenizer tokenizer, PromptLayout layout) {
        Librarian l = new Librarian(library, model, tokenizer, layout);
        l.reader().checkpointEvery(checkpointEvery);
        return l;
    }

    /**
     * Applies the prompt layout setting (on the model thread, between two pieces of work); a model with a template
     * of its own keeps it. The layout the model in use now has comes back. When it changes, opened documents and
     * follow-up memories go; a document read under another framing of its text (G1 or not) is out of date.
     */
    public CompletableFuture<Optional<PromptLayout>> setPromptLayout(PromptLayout chosen) {
        return onModelThread(() -> {
            chosenLayout = chosen;
            Engine e = engine;
            if (e == null) return Optional.empty();
            PromptLayout layout = PromptLayout.forArchitecture(e.model().config().architecture().id, chosen);
            if (layout != e.librarian().layout()) {
                ModelInfo i = e.info();
                ModelInfo info = new ModelInfo(i.checkpoint(), i.vocabulary(), i.name(), i.description(), i.fileBytes(), i.threads(), i.weights(), layout);
                engine = new Engine(librarian(e.model(), e.librarian().tokenizer(), layout), info);
                dropSnapshots();
            }
            return Optional.of(layout);
        });
    }

    private void measurePace(Engine e) {
        try {
            ReadingEstimate measured = e.librarian().readingPace();
            if (engine == e) pace = measured; // not a model replaced meanwhile
        } catch (RuntimeException unreadable) {
            LOG.log(System.Logger.Level.WARNING, "cannot measure the reading pace: " + unreadable.getMessage());
        }
    }

    /**
     * How long a reading takes with the model in use on this machine, to say before it starts: the pace of this
     * model's latest reading, else the machine's measured speed. Empty without a model.
     */
    public Optional<ReadingEstimate> readingPace() {
        return engine == null ? Optional.empty() : Optional.ofNullable(pace);
    }

    public Optional<ModelInfo> model() {
        Engine e = engine;
        return e == null ? Optional.empty() : Optional.of(e.info());
    }

    /** Applies the threads setting (on the model thread, between two pieces of work). */
    public CompletableFuture<Integer> setThreads(int threads) {
        return onModelThread(() -> {
            Parallel.setThreads(threads);
            return Parallel.threads();
        });
    }

    public void setPrecision(CachePrecision p) {
        precision = p;
    }

    public void setCheckpointEvery(int tokens) {
        checkpointEvery = Math.max(64, tokens);
        Engine e = engine;
        if (e != null) modelThread.execute(() -> e.reader().checkpointEvery(checkpointEvery));
    }

    // ---- the library -------------------------------------------------------------------------------------------

    /** Every document with its cache state for the model in use. */
    public CompletableFuture<List<DocumentStatus>> library() {
        return onStoreThread(() -> {
            Engine e = engine;
            long modelId = e == null ? -1 : e.reader().modelId();
            // A cache is valid for the tokens this model's layout reads of the document.
            return library.statuses(modelId, d -> e == null ? d.tokensHash() : e.reader().tokensHash(d.id()), readings.keySet());
        });
    }

    /** Reads a file, tokenizes its text and adds it to the store (the same content is added only once). */
    public CompletableFuture<Library.Added> importFile(Path file) {
        return importFile(file, false, (done, total) -> { }).result();
    }

    /**
     * Adds a file as {@link #importFile(Path)} does, its scanned pages read with OCR if {@code ocr} (or if OCR was
     * chosen for this file before); how far OCR is reaches {@code onOcrPages} on the fx executor. Cancelled (or the
     * window closing), tesseract is stopped and nothing is added: the result fails with an IngestException of reason
     * CANCELLED.
     */
    public Job<Library.Added> importFile(Path file, boolean ocr, IngestOptions.OcrProgress onOcrPages) {
        Job<Library.Added> job = new Job<>(-1);
        AddOptions how = new AddOptions(ocr, (done, total) -> fx.execute(() -> onOcrPages.pages(done, total)), () -> job.isCancelled() || closing);
        supply(importThread, () -> {
            Engine e = engine;
            if (e == null) throw new EngineException("choose a model first: its vocabulary turns the text into tokens");
            return library.add(file, e.librarian().tokenizer(), how);
        }).whenComplete((added, t) -> {
            if (t == null) job.result().complete(added);
            else job.result().completeExceptionally(Fx.cause(t));
        });
        return job;
    }

    /**
     * Exports a document's reading by the model in use to one file (on the import thread; a model's SHA-256 may take a
     * while, said through {@code onProgress} on the fx executor); cancelled, no file is left.
     */
    public Job<ReadingTransfer.Done> exportReading(long documentId, Path out, TransferProgress onProgress) {
        return transfer(documentId, onProgress, (t, progress, cancelled) -> t.export(documentId, out, progress, cancelled));
    }

    /** Imports a reading file for the model in use (on the import thread); refused or cancelled, the store is unchanged. */
    public Job<ReadingTransfer.Done> importReading(Path file, TransferProgress onProgress) {
        return transfer(-1, onProgress, (t, progress, cancelled) -> t.importFile(file, progress, cancelled));
    }

    private interface TransferWork {
        ReadingTransfer.Done run(ReadingTransfer transfer, TransferProgress progress, java.util.function.BooleanSupplier cancelled);
    }

    private Job<ReadingTransfer.Done> transfer(long documentId, TransferProgress onProgress, TransferWork work) {
        Job<ReadingTransfer.Done> job = new Job<>(documentId);
        TransferProgress progress = (step, done, total) -> fx.execute(() -> onProgress.progress(step, done, total));
        supply(importThread, () -> work.run(ReadingTransfer.of(requireEngine().librarian()), progress, () -> job.isCancelled() || closing))
                .whenComplete((done, t) -> {
                    if (t == null) job.result().complete(done);
                    else job.result().completeExceptionally(Fx.cause(t));
                });
        return job;
    }

    /** Removes a document, its caches and its conversations (stopping its reading first). */
    public CompletableFuture<Void> remove(long documentId) {
        Job<CacheInfo> reading = readings.get(documentId);
        if (reading != null) reading.cancel();
        return onModelThread(() -> {
            forgetSnapshot(documentId);
            library.remove(documentId);
            return null;
        });
    }

    // ---- collections -----------------------------------------------------------------------------------------------

    /** Makes an empty collection; its id. */
    public CompletableFuture<Long> createCollection(String name) {
        return onStoreThread(() -> library.collections().create(name));
    }

    /** The collection's documents in order. */
    public CompletableFuture<List<CollectionMember>> collectionMembers(long collectionId) {
        return onStoreThread(() -> library.collections().members(collectionId));
    }

    /** A change to a collection, built from what it holds (the shelf) with the model's vocabulary. */
    @FunctionalInterface
    public interface CollectionEdit {
        CollectionContent apply(CollectionShelf shelf, WorldTokenizer tokenizer);
    }

    /**
     * A change not made yet, with what it costs the model in use: the first member it changes (from 1; 0: none) and
     * where the reading would go on from.
     */
    public record CollectionPlan(long collectionId, CollectionContent next, int firstChanged, ReadingChange cost) {
    }

    /** What {@code edit} would do to the collection and cost its reading (nothing is stored yet). */
    public CompletableFuture<CollectionPlan> planCollection(long collectionId, CollectionEdit edit) {
        return onStoreThread(() -> {
            Engine e = engine;
            if (e == null) throw new EngineException("choose a model first: its vocabulary turns the text into tokens");
            CollectionShelf shelf = library.collections();
            CollectionContent next = edit.apply(shelf, e.librarian().tokenizer());
            return new CollectionPlan(collectionId, next, shelf.firstChanged(collectionId, next), e.librarian().costOf(collectionId, next, precision));
        });
    }

    /**
     * Makes a planned change (stopping the collection's reading first, which keeps its checkpoint): the collection's
     * new content is stored and its reading re-pointed; returns where its reading goes on from. Nothing is read here.
     */
    public CompletableFuture<Integer> changeCollection(CollectionPlan plan) {
        Job<CacheInfo> reading = readings.get(plan.collectionId());
        if (reading != null) reading.cancel();
        return onModelThread(() -> {
            int from = requireEngine().librarian().change(plan.collectionId(), plan.next(), precision);
            forgetSnapshot(plan.collectionId()); // the old content's snapshot answers no more questions
            return from;
        });
    }

    /** The text of a document and its page map. */
    public record DocumentText(String text, DocumentMeta meta) {
    }

    public CompletableFuture<DocumentText> documentText(long documentId) {
        return onStoreThread(() -> {
            return new DocumentText(library.text(documentId), library.meta(documentId));
        });
    }

    /** Runs small store work off the JavaFX thread. */
    private <T> CompletableFuture<T> onStoreThread(Supplier<T> work) {
        return supply(storeThread, work);
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    /**
     * Reads a document into the store (resuming a partial reading). Progress reaches {@code onProgress} on the
     * fx executor, a few times a second. Cancelled, the result completes with a PrefillCancelledException and the
     * reading resumes from its last checkpoint next time. Reading a document already being read returns that job.
     */
    public Job<CacheInfo> read(long documentId, Consumer<PrefillProgress> onProgress) {
        Job<CacheInfo> running = readings.get(documentId);
        if (running != null && !running.isCancelled()) return running;
        Job<CacheInfo> job = new Job<>(documentId);
        readings.put(documentId, job);
        submit(job, () -> {
            Engine e = requireEngine();
            int before = e.reader().savedCache(documentId).isPresent() ? -1
                    : store.readings().cache(documentId, e.reader().modelId(), false).map(CacheInfo::positions).orElse(0);
            ProgressRelay relay = new ProgressRelay(onProgress, fx, Math.max(0, before), tokensRead);
            try {
                return e.librarian().read(documentId, precision, relay, () -> job.isCancelled() || closing, () -> answerQuestionsFirst(documentId));
            } finally {
                measurePace(e); // this reading, finished or paused, is the newest measure of the pace
                relay.flush();
                // Out of the map before the result completes: the window refreshes the library as soon as it does.
                readings.remove(documentId, job);
            }
        });
        job.result().whenComplete((r, t) -> readings.remove(documentId, job)); // a job that never ran
        return job;
    }

    // ---- the recall check ------------------------------------------------------------------------------------------

    /** What a recall check would read with the model in use, at its reading pace; empty before a model and its pace. */
    public Optional<RecallCost> recallCost(RecallPlan plan) {
        return readingPace().map(p -> RecallCost.of(plan, p));
    }

    /**
     * Runs a recall check with the model in use on the model thread (in turn with readings and answers): its documents
     * go to a scratch store in a temporary folder, its grid to this store after every cell. Progress reaches
     * {@code onProgress} on the fx executor, a few times a second. Cancelled (or the window closing), it stops at its
     * next chunk or question; its result is then the grid so far, not finished.
     */
    public Job<RecallGrid> checkRecall(RecallPlan plan, Consumer<RecallCheck.Progress> onProgress) {
        Job<RecallGrid> job = new Job<>(-1);
        submit(job, () -> {
            Engine e = requireEngine();
            // The tokens to read do not depend on the pace (a placeholder one, before it is measured).
            long planned = RecallCost.of(plan, readingPace().orElseGet(() -> new ReadingEstimate(e.model().cost(), 1e9, false))).tokens();
            long[] lastPost = {0, 0}; // when, and the cells scored then: a newly scored cell is always shown
            RecallCheck.Listener relay = p -> {
                long now = System.nanoTime();
                if (now - lastPost[0] < 100_000_000L && p.cellsScored() == lastPost[1]) return;
                lastPost[0] = now;
                lastPost[1] = p.cellsScored();
                fx.execute(() -> onProgress.accept(p));
            };
            Path scratch;
            try {
                scratch = java.nio.file.Files.createTempDirectory("goldfinch-recall-");
            } catch (java.io.IOException io) {
                throw new java.io.UncheckedIOException("cannot make a scratch folder for the recall check: " + io.getMessage(), io);
            }
            try {
                // Questions asked meanwhile are answered between its chunks, as during a reading; a reading asked for waits for it.
                return new RecallCheck(e.model(), e.librarian().tokenizer(), e.librarian().layout(), store, scratch).run(plan, planned, relay,
                        () -> job.isCancelled() || closing, () -> answerQuestionsFirst(-1));
            } finally {
                try {
                    java.nio.file.Files.deleteIfExists(scratch);
                } catch (java.io.IOException io) {
                    LOG.log(System.Logger.Level.WARNING, "cannot remove " + scratch + ": " + io.getMessage());
                }
            }
        });
        return job;
    }

    /** The newest recall check of each checkpoint (a damaged one too: it says so), off the JavaFX thread. */
    public CompletableFuture<Map<Path, Optional<StoredRecallCheck>>> recallChecks(List<Path> checkpoints) {
        return onStoreThread(() -> {
            Map<Path, Optional<StoredRecallCheck>> out = new LinkedHashMap<>();
            for (Path p : checkpoints) out.put(p, RecallHistory.latest(store, p));
            return out;
        });
    }

    // ---- answers -------------------------------------------------------------------------------------------------

    /**
     * Answers a question about a read document from its saved cache: the document's snapshot (opened from the
     * store without reading it again, then kept in memory) is copied, so every question sees only the document.
     * The text streams to {@code onText} on the fx executor; cancelled, the answer ends with what it has. The
     * reply names the passages behind the answer (where a hybrid's attention went, else those matching it), with their pages. The
     * question is put in the layout the document was read with (the model's), whatever layout {@code options} names.
     */
    public Job<Reply> ask(long documentId, String question, AnswerOptions options, Consumer<String> onText) {
        return ask(documentId, null, question, options, onText);
    }

    /**
     * Like {@link #ask(long, String, AnswerOptions, Consumer)}, but with a conversation's follow-up memory: when
     * {@code followUp} holds a live state (the state the previous answer of that conversation left, for this
     * model), the question is asked on it, so it sees the earlier questions and answers; otherwise it starts from
     * a fresh copy of the document's snapshot. Either way the state the answer leaves (a stopped answer keeps the
     * tokens it streamed) becomes the memory. {@code null} asks from the document alone and keeps nothing.
     */
    public Job<Reply> ask(long documentId, FollowUp followUp, String question, AnswerOptions options, Consumer<String> onText) {
        return ask(documentId, followUp, question, options, RestoreProgress.NONE, thought -> { }, onText);
    }

    /**
     * Like {@link #ask(long, FollowUp, String, AnswerOptions, Consumer)}; a G1 model's thinking streams to onThinking,
     * and the first question about a hybrid's document since it was opened says on the fx executor how far its
     * attention layers are rebuilt from the saved cache (seconds on a long document) to {@code onReopening}.
     */
    public Job<Reply> ask(long documentId, FollowUp followUp, String question, AnswerOptions options, RestoreProgress onReopening,
                          Consumer<String> onThinking, Consumer<String> onText) {
        if (followUp != null && followUp.documentId() != documentId) throw new IllegalArgumentException("the follow-up memory belongs to another document");
        Job<Reply> job = new Job<>(documentId);
        submit(job, () -> {
            Engine e = requireEngine();
            OpenDocument doc = opened(e, documentId, (done, total) -> fx.execute(() -> onReopening.rebuilt(done, total)));
            boolean continued = followUp != null && followUp.state() != null && followUp.owner() == e.librarian();
            InferenceState state = continued ? followUp.state() : doc.snapshot().copy();
            if (followUp != null) followUp.clear();
            int start = state.position();
            Answer a = e.librarian().ask(state, question, options, chunk -> fx.execute(() -> onThinking.accept(chunk)),
                    chunk -> fx.execute(() -> onText.accept(chunk)), () -> job.isCancelled() || closing);
            if (followUp != null && !closing) {
                followUp.keep(state, e.librarian());
                followUps.add(followUp);
            }
            List<Source> sources = e.librarian().sourcesOf(doc, question, a, SOURCES);
            updateSnapshotBytes(); // a recurrent model's first search built the document's sentence index, kept with it
            return new Reply(a, sources, e.librarian().sourceKind(), start, state.position(), continued);
        }, true); // answers come first: a reading pauses for it at its next chunk
        return job;
    }

    /** A new, empty follow-up memory for one conversation about a document. */
    public FollowUp followUp(long documentId) {
        return new FollowUp(documentId);
    }

    /** Drops a conversation's follow-up memory (its next question starts from the document). */
    public void forget(FollowUp followUp) {
        if (followUp == null) return;
        followUp.letGo();
        try {
            modelThread.execute(() -> {
                followUp.clear();
                followUps.remove(followUp);
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: everything goes anyway
        }
    }

    /**
     * Whether the model thread is busy reading documents: a question asked now is answered at the reading's next
     * chunk (the reading waits for it), not after the whole reading.
     */
    public boolean isReading() {
        return !readings.isEmpty();
    }

    private OpenDocument opened(Engine e, long documentId, RestoreProgress rebuilding) {
        OpenDocument o = snapshots.get(documentId);
        if (o != null) return o;
        if (e.reader().savedCache(documentId).isEmpty()) throw new EngineException("the document has not been read with this model yet");
        try {
            o = e.librarian().open(documentId, rebuilding);
        } catch (DamagedStoreException damaged) {
            if (!damaged.isCache()) throw damaged;
            // What is intact of a damaged reading is kept (up to its last intact checkpoint); the person chooses
            // when to read the rest again.
            int from = e.reader().salvage(damaged);
            throw new EngineException(damaged.getMessage() + "; read the document again (Read in the library) to ask about it"
                    + (from > 0 ? String.format(": it goes on from token %,d, its last intact checkpoint", from) : ""));
        }
        documentsOpened.incrementAndGet();
        openRecurrentSteps.addAndGet(o.snapshot().recurrentSteps());
        lastOpenRecurrentSteps = o.snapshot().recurrentSteps();
        snapshots.put(documentId, o);
        while (snapshots.size() > SNAPSHOTS_KEPT) snapshots.remove(snapshots.keySet().iterator().next());
        updateSnapshotBytes();
        return o;
    }

    private void forgetSnapshot(long documentId) {
        snapshots.remove(documentId);
        forgetFollowUps(f -> f.documentId() == documentId);
        updateSnapshotBytes();
    }

    private void dropSnapshots() {
        snapshots.clear();
        forgetFollowUps(f -> true);
        updateSnapshotBytes();
    }

    private void forgetFollowUps(java.util.function.Predicate<FollowUp> which) {
        for (var it = followUps.iterator(); it.hasNext(); ) {
            FollowUp f = it.next();
            if (which.test(f)) {
                f.clear();
                it.remove();
            }
        }
    }

    private void updateSnapshotBytes() {
        snapshotBytes = snapshots.values().stream().mapToLong(OpenDocument::bytes).sum();
    }

    // ---- what the status bar and the tests read ------------------------------------------------------------------

    /** Bytes of the opened documents kept in memory. */
    public long snapshotBytes() {
        return snapshotBytes;
    }

    /** Document tokens this process ran through the model while reading (0 when every document came from its cache). */
    public long tokensRead() {
        return tokensRead.get();
    }

    /** Documents opened from their saved cache in this process. */
    public long documentsOpened() {
        return documentsOpened.get();
    }

    /** The engine's recurrent-step count of every document opened from the store, summed: zero by design. */
    public long openRecurrentSteps() {
        return openRecurrentSteps.get();
    }

    /** The recurrent-step count of the last document opened from the store (−1 before the first). */
    public long lastOpenRecurrentSteps() {
        return lastOpenRecurrentSteps;
    }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    private Engine requireEngine() {
        Engine e = engine;
        if (e == null) throw new EngineException("no model is loaded");
        return e;
    }

    private <T> void submit(Job<T> job, Supplier<T> work) {
        submit(job, work, false);
    }

    /**
     * Runs work on the model thread, in the order asked; {@code first}: also between two chunks of a reading that
     * runs now (a question does not wait for a whole reading), whichever comes first. It runs once either way.
     */
    private <T> void submit(Job<T> job, Supplier<T> work, boolean first) {
        jobs.add(job);
        job.result().whenComplete((r, t) -> jobs.remove(job));
        Runnable task = () -> {
            if (job.result().isDone()) return;
            try {
                job.result().complete(work.get());
            } catch (Throwable t) {
                job.result().completeExceptionally(t);
            }
        };
        if (first) {
            questionsFirst.add(task);
            job.result().whenComplete((r, t) -> questionsFirst.remove(task));
        }
        try {
            modelThread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            job.result().completeExceptionally(new EngineException("the window is closing"));
        }
    }

    /**
     * Between two chunks of a reading: the questions asked meanwhile are answered now, on states of their own, and
     * the reading goes on after them from where it was (nothing of it is saved or read again for that).
     */
    private void answerQuestionsFirst(long documentId) {
        if (questionsFirst.isEmpty() || closing) return;
        Consumer<Long> paused = readingPaused;
        fx.execute(() -> paused.accept(documentId));
        for (Runnable r; (r = questionsFirst.poll()) != null; ) r.run();
        fx.execute(() -> paused.accept(-1L));
    }

    /**
     * Told (on the fx executor) when a reading pauses for a question: its document's id, then −1 when it reads on.
     */
    public void setOnReadingPaused(Consumer<Long> paused) {
        this.readingPaused = paused;
    }

    private <T> CompletableFuture<T> onModelThread(Supplier<T> work) {
        return supply(modelThread, work);
    }

    private static <T> CompletableFuture<T> supply(ExecutorService executor, Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, executor);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new EngineException("the window is closing"));
        }
    }

    /**
     * Stops what runs (a reading keeps its last checkpoint), waits for the model thread to finish its current step,
     * then closes the model and the store.
     */
    @Override
    public void close() {
        if (closing) return;
        closing = true;
        jobs.forEach(Job::cancel);
        importThread.shutdownNow();
        modelThread.shutdown();
        storeThread.shutdown();
        try {
            if (!modelThread.awaitTermination(120, TimeUnit.SECONDS)) LOG.log(System.Logger.Level.WARNING, "the model thread did not stop within 120 s");
            storeThread.awaitTermination(10, TimeUnit.SECONDS);
            importThread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Engine e = engine;
        engine = null;
        if (e != null) e.model().close();
        library.close();
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
