package dev.goldfinch.app.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.cli.AskCommandTest;
import dev.goldfinch.engine.answer.Answer;
import dev.goldfinch.engine.answer.AnswerOptions;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.generate.SamplingOptions;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.model.RestoreProgress;
import dev.goldfinch.engine.model.WeightFormat;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model without attention layers (a random-weight Finch with the World vocabulary) answers about a three-page PDF
 * made here with PDFBox, in a real store: its sources are the sentences matching the question and the answer, each
 * with the page it is on; a GoldFinch's stay where its attention went.
 */
public class TextMatchSourcesTest {
    /** A three-page lease, one line a page, two sentences a line. */
    public static final String[] PAGES = {
        "The lease starts on the first of May. The tenant may keep one cat.",
        "Repairs to the roof are the landlord's duty. The garden is kept by the tenant.",
        "The rent is due on the third day of each month. Notice must be given in writing."};
    static final AnswerOptions GREEDY = new AnswerOptions(SamplingOptions.greedy(), 8, PromptLayout.PLAIN, 0);

    @TempDir
    Path dir;

    /** What a test does with a librarian of a random model of {@code arch} on a real store in the test's folder. */
    private interface WithLibrarian {
        void run(Library library, Librarian librarian, WorldTokenizer tokenizer) throws Exception;
    }

    private void withLibrarian(Architecture arch, int layers, long seed, WithLibrarian body) throws Exception {
        withLibrarian(arch, layers, seed, PromptLayout.PLAIN, body);
    }

    private void withLibrarian(Architecture arch, int layers, long seed, PromptLayout layout, WithLibrarian body) throws Exception {
        Path pth = RandomModels.write(dir.resolve(arch.id + ".pth"), arch, layers, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, seed);
        WorldTokenizer tokenizer = WorldTokenizer.load(AskCommandTest.VOCAB);
        try (Model model = ModelLoader.load(pth, OptionalDouble.empty(), WeightFormat.STORED);
             Library library = Library.open(dir.resolve("store.sqlite"), new IngestSource(f -> null))) {
            body.run(library, new Librarian(library, model, tokenizer, layout), tokenizer);
        }
    }

    private static OpenDocument read(Library library, Librarian librarian, WorldTokenizer tokenizer, Path file) {
        return librarian.openOrReadAgain(library.add(file, tokenizer).documentId(), CachePrecision.F16, p -> { }, () -> false, RestoreProgress.NONE);
    }

    @Test
    void aFinchAnswerGetsTheMatchingPassagesWithTheirPages() throws Exception {
        Path pdf = dir.resolve("lease.pdf");
        AskCommandTest.writePdf(pdf, PAGES);
        withLibrarian(Architecture.FINCH, 2, 3, (library, librarian, tokenizer) -> {
            assertEquals(0, librarian.model().config().attentionLayers(), "Finch: no attention to cite from");
            assertEquals(Source.Kind.TEXT_MATCH, librarian.sourceKind());
            OpenDocument doc = read(library, librarian, tokenizer, pdf);
            assertEquals("en", library.meta(doc.id()).language(), "the language ingest found is kept with the document");
            assertEquals(0, doc.sentences().bytes(), "the index is built on the first search, not before");

            String question = "When is the rent due?";
            Answer answer = librarian.ask(doc.snapshot().copy(), question, GREEDY, t -> { }, t -> { }, () -> false);
            assertTrue(answer.tokens().length > 0, "it answers (noise)");
            List<Source> sources = librarian.sourcesOf(doc, question, answer, 3);
            assertFalse(sources.isEmpty(), "a Finch answer has sources now");
            Source best = sources.getFirst();
            assertEquals("The rent is due on the third day of each month.", best.text(), "the sentence with the question's words first: " + sources);
            assertEquals(3, best.page(), "on the third page");
            assertTrue(doc.sentences().bytes() > 0, "the index is kept with the opened document");
            for (Source s : sources) {
                assertEquals(Source.Kind.TEXT_MATCH, s.kind());
                assertEquals(s.text(), doc.text().substring(s.start(), s.end()).replaceAll("\\s+", " ").strip(), "offsets into the stored text");
                assertTrue(PAGES[s.page() - 1].contains(s.text()), s + " is on the page it names");
                assertEquals(doc.meta().pageAt(s.start(), doc.text().length()).label(), s.pageLabel());
            }

            // The same search for the same question and answer: the index is built once and asked again.
            assertEquals(sources, librarian.sourcesOf(doc, question, answer, 3));
            Answer nothing = new Answer("", "", new int[0], Answer.StopReason.CANCELLED, 0, answer.attentionMass());
            assertEquals(List.of(), librarian.sourcesOf(doc, "Is it that, or is it this?", nothing, 3), "stop words and no answer: no matching passage");
            assertEquals(List.of("The garden is kept by the tenant."),
                    librarian.sourcesOf(doc, "Who keeps the garden?", nothing, 1).stream().map(Source::text).toList(),
                    "a stopped answer with no text still has its question's passages");
        });
    }

    /** RWKV-7 reads the document as a cleaned G1 System turn; its text matches are still offsets of the stored text, with its pages. */
    @Test
    void anRwkv7AnswerInTheG1LayoutGetsMatchingPassagesToo() throws Exception {
        Path pdf = dir.resolve("lease.pdf");
        AskCommandTest.writePdf(pdf, PAGES);
        withLibrarian(Architecture.RWKV7, 2, 43, PromptLayout.G1, (library, librarian, tokenizer) -> {
            assertEquals(Source.Kind.TEXT_MATCH, librarian.sourceKind());
            OpenDocument doc = read(library, librarian, tokenizer, pdf);
            String question = "Who keeps the garden?";
            Answer answer = librarian.ask(doc.snapshot().copy(), question, GREEDY, t -> { }, t -> { }, () -> false);
            List<Source> sources = librarian.sourcesOf(doc, question, answer, 3);
            assertFalse(sources.isEmpty());
            assertEquals("The garden is kept by the tenant.", sources.getFirst().text(), sources.toString());
            assertEquals(2, sources.getFirst().page());
            for (Source s : sources) assertEquals(s.text(), doc.text().substring(s.start(), s.end()).replaceAll("\\s+", " ").strip());
        });
    }

    /** A document of one sentence, with no full stop: its one sentence, or nothing, never a failure. */
    @Test
    void aOneSentenceDocument() throws Exception {
        Path txt = Files.writeString(dir.resolve("note.txt"), "Goldfinches eat thistle seeds in the winter months");
        withLibrarian(Architecture.FINCH, 2, 3, (library, librarian, tokenizer) -> {
            OpenDocument doc = read(library, librarian, tokenizer, txt);
            Answer answer = librarian.ask(doc.snapshot().copy(), "What do goldfinches eat?", GREEDY, t -> { }, t -> { }, () -> false);
            List<Source> found = librarian.sourcesOf(doc, "What do goldfinches eat?", answer, 3);
            assertEquals(1, found.size(), found.toString());
            assertEquals("Goldfinches eat thistle seeds in the winter months", found.getFirst().text());
            assertEquals(1.0, found.getFirst().share(), 1e-9, "the only sentence has the whole match");
            Answer nothing = new Answer("", "", new int[0], Answer.StopReason.CANCELLED, 0, answer.attentionMass());
            assertEquals(List.of(), librarian.sourcesOf(doc, "", nothing, 3), "an empty question and no answer");
        });
    }

    /** A hybrid keeps its attention sources, however thin: no text matches are mixed in. */
    @Test
    void aGoldFinchAnswerKeepsItsAttentionSources() throws Exception {
        Path pdf = dir.resolve("lease.pdf");
        AskCommandTest.writePdf(pdf, PAGES);
        withLibrarian(Architecture.GOLDFINCH, 3, 7, (library, librarian, tokenizer) -> {
            assertEquals(Source.Kind.ATTENTION, librarian.sourceKind());
            OpenDocument doc = read(library, librarian, tokenizer, pdf);
            Answer answer = librarian.ask(doc.snapshot().copy(), "When is the rent due?", GREEDY, t -> { }, t -> { }, () -> false);
            List<Source> sources = librarian.sourcesOf(doc, "When is the rent due?", answer, 3);
            assertFalse(sources.isEmpty());
            for (Source s : sources) assertEquals(Source.Kind.ATTENTION, s.kind());
            for (int i = 1; i < sources.size(); i++) assertTrue(sources.get(i - 1).start() < sources.get(i).start(), "in document order");
            assertEquals(0, doc.sentences().bytes(), "a hybrid never builds the text index");
        });
    }
}
