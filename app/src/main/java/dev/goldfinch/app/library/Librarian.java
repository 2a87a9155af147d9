package dev.goldfinch.app.library;

import dev.goldfinch.engine.answer.Answer;
import dev.goldfinch.engine.answer.AnswerOptions;
import dev.goldfinch.engine.answer.Answerer;
import dev.goldfinch.engine.answer.DocumentTurn;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.answer.SourceFinder;
import dev.goldfinch.engine.answer.SourceSpan;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.RestoreProgress;
import dev.goldfinch.engine.reading.DocumentReader;
import dev.goldfinch.engine.reading.PrefillProgress;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.CollectionMember;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One model at work on a {@link Library}: reads its documents into the store (once, resumably), opens a read one from
 * its saved cache, answers questions about it and finds the passages behind an answer, with their pages. Documents
 * are read as the prompt layout frames them (G1: a System turn), and every question is put in that layout.
 */
public final class Librarian {
    private final Library library;
    private final Model model;
    private final WorldTokenizer tokenizer;
    private final PromptLayout layout;
    private final DocumentReader reader;
    private final Answerer answerer;

    public Librarian(Library library, Model model, WorldTokenizer tokenizer, PromptLayout layout) {
        check(model, tokenizer);
        this.library = library;
        this.model = model;
        this.tokenizer = tokenizer;
        this.layout = layout;
        this.reader = new DocumentReader(library.store(), model, DocumentTurn.reading(layout, tokenizer));
        this.answerer = new Answerer(model, tokenizer);
    }

    /**
     * Refuses, in words, a model that cannot work on a library: the Llama baseline (its cache cannot be kept), and a
     * checkpoint whose vocabulary is smaller than the World vocabulary's ids (they were not made for each other).
     */
    private static void check(Model model, WorldTokenizer tokenizer) {
        String name = model.checkpoint().path().getFileName().toString();
        if (model.config().architecture() == dev.goldfinch.engine.model.Architecture.LLAMA) {
            throw new dev.goldfinch.engine.EngineException(name + " is the Llama baseline, which cannot keep a document cache; choose a GoldFinch, Finch or RWKV-7 checkpoint");
        }
        int vocab = model.config().vocab(), world = tokenizer.maxTokenId() + 1;
        if (vocab < world) {
            throw new dev.goldfinch.engine.EngineException(String.format("this checkpoint (%s) has %,d tokens; the World vocabulary has %,d: they were not made for each other",
                    name, vocab, world));
        }
    }

    public Library library() {
        return library;
    }

    public Model model() {
        return model;
    }

    public WorldTokenizer tokenizer() {
        return tokenizer;
    }

    public PromptLayout layout() {
        return layout;
    }

    /** The reader underneath (its checkpoint spacing, notices, saved caches). */
    public DocumentReader reader() {
        return reader;
    }

    /** Reads a document into the store unless it is read already, resuming a partial reading. */
    public CacheInfo read(long documentId, CachePrecision precision, PrefillProgress.Listener progress, BooleanSupplier cancelled) {
        return reader.prefill(documentId, precision, progress, cancelled);
    }

    /** Like {@link #read(long, CachePrecision, PrefillProgress.Listener, BooleanSupplier)}; {@code betweenChunks} runs after every chunk (a question that must not wait). */
    public CacheInfo read(long documentId, CachePrecision precision, PrefillProgress.Listener progress, BooleanSupplier cancelled, Runnable betweenChunks) {
        return reader.prefill(documentId, precision, progress, cancelled, betweenChunks);
    }

    /** A read document from its saved cache, with no recurrent step over it; a hybrid's attention rebuilding says how far it is. */
    public OpenDocument open(long documentId, RestoreProgress rebuilding) {
        return opened(documentId, reader.open(documentId, rebuilding));
    }

    /** Reads the document if it is not read yet (again, from its last intact checkpoint, when its reading is damaged), then opens it. */
    public OpenDocument openOrReadAgain(long documentId, CachePrecision precision, PrefillProgress.Listener progress, BooleanSupplier cancelled,
                                        RestoreProgress rebuilding) {
        return opened(documentId, reader.openOrReadAgain(documentId, precision, progress, cancelled, rebuilding));
    }

    /** How long readings take with this model here: from its latest reading in the store, else from the machine's speed. */
    public ReadingEstimate readingPace() {
        return ReadingEstimate.of(model.cost(), reader.modelId(), library.store().readings().all());
    }

    private OpenDocument opened(long documentId, InferenceState snapshot) {
        String text = library.text(documentId);
        int[] stored = library.store().documents().tokens(documentId);
        List<CollectionMember> members = library.collections().members(documentId);
        int[] starts = (library.collections().isCollection(documentId) ? DocumentTurn.ofCollection(layout, text, stored, members, tokenizer)
                : DocumentTurn.of(layout, text, stored, tokenizer)).textStarts();
        DocumentMeta meta = library.meta(documentId);
        return new OpenDocument(documentId, snapshot, text, starts, meta, new SentenceIndex(text, meta.language()), members);
    }

    /**
     * After a collection changed: its reading with this model is re-pointed at its new content, at the end of the last
     * member before the change (nothing before it is read again). Returns the position its reading goes on from.
     */
    public int repoint(long collectionId, CachePrecision precision) {
        return reader.repoint(collectionId, precision);
    }

    /**
     * Stores {@code next} as the collection's content and re-points its reading with this model there (see
     * {@link #repoint}); returns the position its reading goes on from. Nothing is read here.
     */
    public int change(long collectionId, CollectionContent next, CachePrecision precision) {
        library.collections().store(collectionId, next);
        return repoint(collectionId, precision);
    }

    /**
     * What storing {@code next} as the collection's content would cost before it is stored: where its reading would go
     * on from and how many tokens it then reads, as this model reads them.
     */
    public ReadingChange costOf(long collectionId, CollectionContent next, CachePrecision precision) {
        int[] tokens = DocumentTurn.ofCollection(layout, next.text(), next.tokens(), next.members(), tokenizer).tokens();
        return new ReadingChange(reader.goesOnFrom(collectionId, tokens, precision), tokens.length);
    }

    /**
     * Answers on {@code state} (a copy of a document's snapshot, or a conversation's kept state, which it moves on),
     * in this librarian's layout whatever layout {@code options} names; the thinking and the text stream as they come.
     */
    public Answer ask(InferenceState state, String question, AnswerOptions options, Consumer<String> onThinking, Consumer<String> onText,
                      BooleanSupplier cancelled) {
        return answerer.ask(state, question, options.withLayout(layout), onThinking, onText, cancelled);
    }

    /**
     * What this model's sources are: where its attention went (a hybrid), or, for a model without attention layers,
     * the passages that match the question and the answer. A hybrid never gets text matches, even when its attention
     * is spread thin: the two kinds say different things and are kept apart.
     */
    public Source.Kind sourceKind() {
        return model.config().attentionLayers() > 0 ? Source.Kind.ATTENTION : Source.Kind.TEXT_MATCH;
    }

    /**
     * The passages of the document behind an answer to {@code question}, at most {@code max}, each with the page it
     * starts on. A hybrid's are the sentences its attention went to most (in document order; none when the answer put
     * no attention on the document); a recurrent model's are the sentences that best match the question and the
     * answer in a BM25 search of the document's sentences (best first; none when no sentence shares a word with them).
     */
    public List<Source> sourcesOf(OpenDocument doc, String question, Answer answer, int max) {
        return sourceKind() == Source.Kind.ATTENTION ? attentionSources(doc, answer, max)
                : located(doc, doc.sentences().search(question + "\n" + answer.text(), max), Source.Kind.TEXT_MATCH);
    }

    private List<Source> attentionSources(OpenDocument doc, Answer answer, int max) {
        float[] mass = answer.attentionMass();
        if (mass == null || answer.tokens().length == 0) return List.of();
        boolean any = false;
        for (int i = 0; i < Math.min(mass.length, doc.textStarts().length) && !any; i++) any = mass[i] > 0;
        if (!any) return List.of();
        // Positions map to the stored text's offsets (through the G1 cleaning too), where the page map is.
        return located(doc, new SourceFinder(tokenizer).findFromStarts(doc.text(), doc.textStarts(), mass, max), Source.Kind.ATTENTION);
    }

    /**
     * Spans of the stored text as sources with the page each starts on; in a collection each names its member, and a
     * sentence run on from the separator line before it starts at the member's text.
     */
    private static List<Source> located(OpenDocument doc, List<SourceSpan> spans, Source.Kind kind) {
        List<Source> out = new ArrayList<>();
        for (SourceSpan s : spans) {
            CollectionMember member = doc.memberAt(s.end() - 1);
            int start = member == null ? s.start() : Math.max(s.start(), member.textStart());
            if (start >= s.end()) continue; // a separator line alone is no passage of a document
            String text = start == s.start() ? s.text() : doc.text().substring(start, s.end());
            SourceDocument.Page p = doc.meta().pageAt(start, doc.text().length());
            out.add(new Source(start, s.end(), s.share(), p.page(), p.label(), text.replaceAll("\\s+", " ").strip(), kind,
                    member == null ? null : member.title()));
        }
        return out;
    }
}
