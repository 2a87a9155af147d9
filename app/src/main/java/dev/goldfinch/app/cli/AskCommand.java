package dev.goldfinch.app.cli;

import dev.goldfinch.app.library.AddOptions;
import dev.goldfinch.app.library.CollectionContent;
import dev.goldfinch.app.library.CollectionShelf;
import dev.goldfinch.app.library.ReadingChange;
import dev.goldfinch.engine.store.CollectionMember;
import dev.goldfinch.app.library.ConversationMarkdown;
import dev.goldfinch.app.library.IngestSource;
import dev.goldfinch.app.library.Librarian;
import dev.goldfinch.app.library.Library;
import dev.goldfinch.app.library.OpenDocument;
import dev.goldfinch.app.library.Places;
import dev.goldfinch.app.library.Source;
import dev.goldfinch.app.ui.LaunchOptions;
import dev.goldfinch.app.ui.Settings;
import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.reading.PrefillCancelledException;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.answer.Answer;
import dev.goldfinch.engine.answer.AnswerOptions;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.io.InputFiles;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import dev.goldfinch.ingest.IngestException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Stack;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Answers a question about a document from the store: the document is ingested and pre-filled once (the first
 * time), and every later question starts from its saved cache without reading it again. The document is read in the
 * prompt layout the question is put in (G1 frames it as a System turn), so each layout has its own reading.
 */
@Command(name = "ask", mixinStandardHelpOptions = true, description = "Answer a question about a document (reading it into the store the first time).")
final class AskCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--vocab", paramLabel = "V.txt",
            description = "The World vocabulary file (default: the one beside the model, else the one the app uses).")
    Path vocab;

    @Option(names = "--db", paramLabel = "FILE.sqlite",
            description = "The store (default: the app's library, so what either reads the other can ask about).")
    Path db;

    @Option(names = "--doc", required = true, paramLabel = "FILE", description = "The document (PDF, Word, OpenDocument, e-book, HTML, text...); "
            + "with --collection, give it once per document, in the order they are read.")
    List<Path> docs;

    @Option(names = "--collection", paramLabel = "NAME", description = "Ask about these documents read one after another as the collection NAME: "
            + "made the first time, extended when a document is added (only the new one is read), read again from the first document "
            + "that changed place; the same documents in the same order read nothing.")
    String collection;

    @Parameters(paramLabel = "QUESTION", arity = "1..*", description = "The question.")
    List<String> question;

    @Option(names = "--ocr", description = "Read the scanned pages of a PDF with OCR (tesseract); remembered for the document, "
            + "so a file once added with OCR is read with it again.")
    boolean ocr;

    @Option(names = "--password", paramLabel = "P", description = "Password of a locked PDF (other users may see it in the process list; without it, a terminal asks for it without echo).")
    String password;

    @Option(names = "--sources", description = "Print the passages behind the answer, with page numbers: where a GoldFinch model's "
            + "attention went, or, for a model without attention layers (Finch, RWKV-7), the passages matching the question and the answer.")
    boolean sources;

    @Mixin
    SamplingMixin sampling;

    @Option(names = "--layout", paramLabel = "plain|chat|g1",
            description = "Prompt layout (default: g1 for RWKV-7 models, else plain). g1 reads the document as a cleaned System turn.")
    String layout;

    @Option(names = "--think", arity = "0..1", defaultValue = "off", paramLabel = "on|off", parameterConsumer = OnOff.class,
            description = "G1: let the model think before it answers (the thought goes to standard error); off (default) gives it an "
                    + "empty thought, fast and good. --think alone means on.")
    String think;

    /** Takes the word after --think only when it is on or off: otherwise it is the question's first word. */
    static final class OnOff implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec arg, CommandSpec spec) {
            String next = args.isEmpty() ? "" : args.peek();
            arg.setValue(next.equalsIgnoreCase("on") || next.equalsIgnoreCase("off") ? args.pop().toLowerCase(java.util.Locale.ROOT) : "on");
        }
    }

    @Override
    public Integer call() {
        if (collection == null && docs.size() > 1) throw new EngineException("--doc names one document; several are asked about as a collection: add --collection NAME");
        for (Path doc : docs) InputFiles.requireRegular(doc, "--doc " + doc); // said as the option that named it
        boolean thinking = thinking();
        Settings app = Settings.load(LaunchOptions.defaultConfigDir());
        WorldTokenizer tokenizer = WorldTokenizer.load(Vocabularies.find(vocab, modelOptions.model, app));
        Path store = db != null ? db : LaunchOptions.defaults().storeFor(app);
        try (Model model = modelOptions.load(); Library library = Library.open(store, new IngestSource(new TerminalPasswords(password)))) {
            PromptLayout promptLayout = promptLayout(model.config().architecture().id);
            if (thinking && promptLayout != PromptLayout.G1) throw new EngineException("--think needs the g1 layout (--layout g1, or an RWKV-7 model)");
            Librarian librarian = new Librarian(library, model, tokenizer, promptLayout); // a model it cannot use is refused first
            try (CtrlC ctrlC = CtrlC.listen()) { // a reading saves what it read since its last checkpoint, then says so
                BooleanSupplier stop = ctrlC::pressed;
                ProgressLine progress = new ProgressLine();
                List<Library.Added> added = new java.util.ArrayList<>();
                for (Path doc : docs) {
                    try {
                        // Ctrl+C while OCR runs stops tesseract and adds nothing
                        added.add(library.add(doc, tokenizer, new AddOptions(ocr, progress::showOcr, stop)));
                    } catch (IngestException e) {
                        if (e.reason() != IngestException.Reason.CANCELLED) throw IngestHints.withHint(e, IngestHints.hint(e, ocr));
                        progress.done();
                        System.err.println("goldfinch: stopped; " + doc.getFileName() + " was not added");
                        return 130;
                    }
                    progress.done();
                }
                // A damaged saved reading is said in one line and read again; nothing else in the store changes.
                librarian.reader().onNotice(message -> System.err.println("goldfinch: " + message));
                long documentId = added.getFirst().documentId();
                String title = added.getFirst().title();
                if (collection != null) {
                    documentId = collected(librarian, added.stream().map(Library.Added::documentId).toList());
                    title = library.document(documentId).name();
                }
                System.err.println("goldfinch: " + whatReadingDoes(librarian, documentId, title));
                OpenDocument document;
                try {
                    document = librarian.openOrReadAgain(documentId, CachePrecision.F16, progress::show, stop, progress::rebuilt);
                } catch (PrefillCancelledException e) {
                    progress.done();
                    System.err.printf("goldfinch: stopped; the reading keeps %,d tokens and goes on from there next time%n", e.savedPositions());
                    return 130;
                }
                progress.done();
                AnswerOptions options = new AnswerOptions(sampling.sampling(), sampling.maxNew, promptLayout, sampling.tovaBudget, thinking);
                PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
                PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
                // The thought goes to standard error, so what standard output holds is the answer alone.
                Answer answer = librarian.ask(document.snapshot().copy(), String.join(" ", question), options, err::print, out::print, stop);
                if (!answer.thinking().isEmpty()) err.println();
                out.println();
                if (stop.getAsBoolean()) {
                    System.err.println("goldfinch: stopped; the document's reading is saved, the next question starts from it");
                    return 130;
                }
                if (sources) printSources(out, librarian.sourceKind(), librarian.sourcesOf(document, String.join(" ", question), answer, 3), document.meta().unit());
            }
        }
        return 0;
    }

    /**
     * The collection --collection names holding exactly these documents in this order (made or changed as needed);
     * says on standard error what a change costs before it is made: an added document alone, or a reading again from
     * the first document that changed.
     */
    private long collected(Librarian librarian, List<Long> documentIds) {
        CollectionShelf shelf = librarian.library().collections();
        long id = shelf.byName(collection).orElseGet(() -> shelf.create(collection));
        String name = librarian.library().document(id).name();
        List<CollectionMember> before = shelf.members(id);
        CollectionContent next = shelf.holding(id, documentIds, librarian.tokenizer());
        int changed = shelf.firstChanged(id, next);
        if (changed == 0) return id;
        ReadingChange cost = librarian.costOf(id, next, CachePrecision.F16);
        String toRead = String.format("%,d tokens to read, %s", cost.tokensToRead(), librarian.readingPace().describe(cost.readFrom(), cost.total()));
        if (before.isEmpty()) {
            System.err.printf("goldfinch: collection '%s' made with %s (%s)%n", name, count(next.members().size()), toRead);
        } else if (changed == before.size() + 1) {
            List<String> titles = next.members().subList(before.size(), next.members().size()).stream().map(m -> "'" + m.title() + "'").toList();
            System.err.printf("goldfinch: collection '%s': %s added; %s read before %s not read again (%s)%n", name,
                    String.join(", ", titles), before.size() == 1 ? "the document" : "the " + count(before.size()), before.size() == 1 ? "is" : "are", toRead);
        } else {
            String from = changed <= next.members().size() ? "document " + changed + " ('" + next.members().get(changed - 1).title() + "')" : "its end";
            System.err.printf("goldfinch: collection '%s' changed from %s on: it is read again from there (%s)%n", name, from, toRead);
        }
        librarian.change(id, next, CachePrecision.F16);
        return id;
    }

    private static String count(int documents) {
        return documents == 1 ? "1 document" : documents + " documents";
    }

    /** What this question costs before it is answered: the saved reading it starts from, a reading resumed, or one from the start. */
    private static String whatReadingDoes(Librarian librarian, long documentId, String title) {
        String hash = librarian.reader().tokensHash(documentId);
        Optional<CacheInfo> saved = librarian.reader().savedCache(documentId).filter(c -> c.tokensHash().equals(hash) && c.problem() == null);
        if (saved.isPresent()) {
            CacheInfo c = saved.get();
            String when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(Instant.ofEpochMilli(c.updatedAt()).atZone(ZoneId.systemDefault()));
            return String.format("answering from the saved reading of '%s' (%,d tokens, read on %s in %s); nothing is read again", title,
                    c.totalTokens(), when, seconds(c.seconds()));
        }
        Optional<CacheInfo> partial = librarian.library().store().readings().cache(documentId, librarian.reader().modelId(), false)
                .filter(c -> c.tokensHash().equals(hash) && c.problem() == null && c.positions() > 0);
        if (partial.isPresent()) {
            CacheInfo c = partial.get();
            return String.format("resuming the reading of '%s' at %,d of %,d tokens; the rest takes %s", title, c.positions(), c.totalTokens(),
                    librarian.readingPace().describe(c.positions(), c.totalTokens()));
        }
        int tokens = librarian.reader().tokenCount(documentId);
        return String.format("reading '%s' once (%,d tokens, %s); later questions about it start from the saved reading", title, tokens,
                librarian.readingPace().describe(0, tokens));
    }

    private static String seconds(double s) {
        return s < 90 ? String.format("%.0f s", s) : s < 5400 ? String.format("%.0f min", s / 60) : String.format("%.1f h", s / 3600);
    }

    /** The layout asked for, else the model's own (RWKV-7: G1), else plain. */
    private PromptLayout promptLayout(String architectureId) {
        if (layout == null) return PromptLayout.forArchitecture(architectureId, PromptLayout.PLAIN);
        try {
            return PromptLayout.parse(layout);
        } catch (IllegalArgumentException e) {
            throw new EngineException("--layout must be plain, chat or g1, not '" + layout + "'");
        }
    }

    private boolean thinking() {
        return "on".equals(think);
    }

    /**
     * The label of the sources' kind ("sources (passages matching the answer):"), then one line a source: "[page 2]",
     * "[page 12, iv]", "[section 3, Installation]", "[lines 120–140]" (by the document's unit); or one line saying there is none.
     */
    private static void printSources(PrintStream out, Source.Kind kind, List<Source> sources, String unit) {
        if (sources.isEmpty()) {
            out.println("sources (" + kind.label() + "): " + ConversationMarkdown.none(kind));
            return;
        }
        out.println("sources (" + kind.label() + "):");
        for (Source s : sources) {
            // a collection's page label names the member and its page: "[House rules · Bins]", "[Lease · p. 2]"
            String place = s.document() != null ? s.pageLabel() : Places.spelledOut(unit, s.page(), s.pageLabel());
            out.printf("  [%s] (%.0f%%) %s%n", place, 100 * s.share(), s.text());
        }
    }
}
