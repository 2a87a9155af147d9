package dev.goldfinch.app.cli;

import dev.goldfinch.app.library.IngestSource;
import dev.goldfinch.app.library.Librarian;
import dev.goldfinch.app.library.Library;
import dev.goldfinch.app.library.OpenDocument;
import dev.goldfinch.app.library.Places;
import dev.goldfinch.app.library.Source;
import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.answer.Answer;
import dev.goldfinch.engine.answer.AnswerOptions;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.io.InputFiles;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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
        InputFiles.requireRegular(doc, "--doc " + doc); // said as the option that named it
        boolean thinking = thinking();
        WorldTokenizer tokenizer = WorldTokenizer.load(vocab);
        try (Model model = modelOptions.load(); Library library = Library.open(db, new IngestSource(file -> null))) {
            PromptLayout promptLayout = promptLayout(model.config().architecture().id);
            if (thinking && promptLayout != PromptLayout.G1) throw new EngineException("--think needs the g1 layout (--layout g1, or an RWKV-7 model)");
            long documentId = library.add(doc, tokenizer).documentId();
            Librarian librarian = new Librarian(library, model, tokenizer, promptLayout);
            // A damaged saved reading is said in one line and read again; nothing else in the store changes.
            librarian.reader().onNotice(message -> System.err.println("goldfinch: " + message));
            ProgressLine progress = new ProgressLine();
            OpenDocument document = librarian.openOrReadAgain(documentId, CachePrecision.F16, progress::show, () -> false);
            progress.done();
            AnswerOptions options = new AnswerOptions(sampling.sampling(), sampling.maxNew, promptLayout, sampling.tovaBudget, thinking);
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
            // The thought goes to standard error, so what standard output holds is the answer alone.
            Answer answer = librarian.ask(document.snapshot().copy(), String.join(" ", question), options, err::print, out::print, () -> false);
            if (!answer.thinking().isEmpty()) err.println();
            out.println();
            if (sources) printSources(out, librarian.sourcesOf(document, answer, 3), answer, document.meta().unit());
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

    /** One line a source: "[page 2]", "[page 12, iv]", "[section 3, Installation]", "[lines 120–140]" (by the document's unit). */
    private static void printSources(PrintStream out, List<Source> sources, Answer answer, String unit) {
        if (answer.attentionMass() == null || answer.attentionMass().length == 0) {
            out.println("sources: this model has no attention layers to cite from");
            return;
        }
        out.println("sources:");
        for (Source s : sources) {
            out.printf("  [%s] (%.0f%%) %s%n", Places.spelledOut(unit, s.page(), s.pageLabel()), 100 * s.share(), s.text());
        }
    }
}
