package dev.goldfinch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.answer.Answer;
import dev.goldfinch.engine.answer.AnswerOptions;
import dev.goldfinch.engine.answer.Answerer;
import dev.goldfinch.engine.answer.DocumentTurn;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.answer.SourceFinder;
import dev.goldfinch.engine.answer.SourceSpan;
import dev.goldfinch.engine.io.InputFiles;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.reading.DocumentReader;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.store.StoredDocument;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import dev.goldfinch.ingest.IngestedDocument;
import dev.goldfinch.ingest.Ingestor;
import dev.goldfinch.ingest.PageSpan;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Stack;
import java.util.concurrent.Callable;
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
@Command(name = "ask", description = "Answer a question about a document (reading it into the store the first time).")
final class AskCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--vocab", required = true, paramLabel = "V.txt", description = "The World vocabulary file.")
    Path vocab;

    @Option(names = "--db", required = true, paramLabel = "FILE.sqlite", description = "The store.")
    Path db;

    @Option(names = "--doc", required = true, paramLabel = "FILE", description = "The document (PDF, Word, OpenDocument, e-book, HTML, text...).")
    Path doc;

    @Parameters(paramLabel = "QUESTION", arity = "1..*", description = "The question.")
    List<String> question;

    @Option(names = "--sources", description = "Print the passages the answer drew on, with page numbers.")
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
        InputFiles.requireRegular(doc, "--doc " + doc); // before its bytes are hashed: a pipe would be read forever
        boolean thinking = thinking();
        WorldTokenizer tokenizer = WorldTokenizer.load(vocab);
        try (Model model = modelOptions.load(); DocumentStore store = DocumentStore.open(db)) {
            PromptLayout promptLayout = promptLayout(model.config().architecture().id);
            if (thinking && promptLayout != PromptLayout.G1) throw new EngineException("--think needs the g1 layout (--layout g1, or an RWKV-7 model)");
            long documentId = storedDocument(store, tokenizer);
            ProgressLine progress = new ProgressLine();
            // A damaged saved reading is said in one line and read again; nothing else in the store changes.
            DocumentReader reader = new DocumentReader(store, model, DocumentTurn.reading(promptLayout, tokenizer))
                    .onNotice(message -> System.err.println("goldfinch: " + message));
            InferenceState snapshot = reader.openOrReadAgain(documentId, CachePrecision.F16, progress::show, () -> false);
            progress.done();
            AnswerOptions options = new AnswerOptions(sampling.sampling(), sampling.maxNew, promptLayout, sampling.tovaBudget, thinking);
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
            // The thought goes to standard error, so what standard output holds is the answer alone.
            Answer answer = new Answerer(model, tokenizer).ask(snapshot.copy(), String.join(" ", question), options, err::print, out::print, () -> false);
            if (!answer.thinking().isEmpty()) err.println();
            out.println();
            if (sources) printSources(out, store, documentId, tokenizer, promptLayout, answer);
        }
        return 0;
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

    /** The document's id in the store, ingesting and tokenizing it only the first time it is seen. */
    private long storedDocument(DocumentStore store, WorldTokenizer tokenizer) {
        Optional<StoredDocument> known = store.documentByHash(sha256(doc));
        if (known.isPresent()) return known.get().id();
        IngestedDocument d = new Ingestor().ingest(doc);
        int[] tokens = tokenizer.encode(d.text());
        if (tokens.length == 0) throw new EngineException(doc + ": the document has no text");
        return store.putDocument(d.contentHash(), doc.getFileName().toString(), d.text(), tokens, metadata(d));
    }

    static String metadata(IngestedDocument d) {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        root.put("title", d.title());
        root.put("author", d.author());
        root.put("language", d.language());
        root.put("unit", d.unit().name().toLowerCase());
        ArrayNode pages = root.putArray("pages");
        for (PageSpan p : d.pages()) pages.addObject().put("page", p.page()).put("start", p.start()).put("end", p.end()).put("label", p.label());
        return root.toString();
    }

    private static void printSources(PrintStream out, DocumentStore store, long documentId, WorldTokenizer tokenizer, PromptLayout layout,
                                     Answer answer) {
        String text = store.documentText(documentId);
        if (answer.attentionMass() == null || answer.attentionMass().length == 0) {
            out.println("sources: this model has no attention layers to cite from");
            return;
        }
        // The positions are those of the document as the layout read it; they map back to the stored text's offsets.
        int[] starts = DocumentTurn.of(layout, text, store.documentTokens(documentId), tokenizer).textStarts();
        List<SourceSpan> spans = new SourceFinder(tokenizer).findFromStarts(text, starts, answer.attentionMass(), 3);
        JsonNode pages = pages(store, documentId);
        out.println("sources:");
        for (SourceSpan s : spans) {
            out.printf("  [%s] (%.0f%%) %s%n", pageOf(pages, s.start()), 100 * s.share(), s.text().replaceAll("\\s+", " "));
        }
    }

    private static JsonNode pages(DocumentStore store, long documentId) {
        String meta = store.document(documentId).map(StoredDocument::metadata).orElse(null);
        try {
            return meta == null ? null : new ObjectMapper().readTree(meta).path("pages");
        } catch (IOException e) {
            return null;
        }
    }

    private static String pageOf(JsonNode pages, int offset) {
        if (pages != null) {
            for (JsonNode p : pages) {
                if (offset >= p.path("start").asInt() && offset < p.path("end").asInt()) {
                    String label = p.path("label").asText(""), number = Integer.toString(p.path("page").asInt());
                    return label.isEmpty() || label.equals(number) ? "page " + number : "page " + number + ", " + label;
                }
            }
        }
        return "offset " + offset;
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new EngineException(file + ": cannot read: " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
