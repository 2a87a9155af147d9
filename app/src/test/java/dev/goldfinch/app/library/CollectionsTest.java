package dev.goldfinch.app.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.answer.Answer;
import dev.goldfinch.engine.answer.AnswerOptions;
import dev.goldfinch.engine.answer.DocumentTurn;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.generate.SamplingOptions;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.model.RestoreProgress;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.CollectionMember;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collections through the library's use cases, with a real SQLite store, real PDF and Markdown files and random-weight
 * models with the World vocabulary: a document added to a read collection is all that is read (counted), with the
 * cost said before; a move or a removal re-reads from the first changed document; answers' sources name the member and
 * its page; a document removed from the library stays in the collection, which is not read again.
 */
class CollectionsTest {
    @TempDir
    Path dir;

    static final Path VOCAB = Path.of(System.getProperty("goldfinch.shared", "../../shared"), "tokenizer", "rwkv_vocab_v20230424.txt");
    static final AnswerOptions GREEDY = new AnswerOptions(SamplingOptions.greedy(), 8, PromptLayout.PLAIN, 0);

    @Test
    void aGoldFinchCollectionReadsEachAddedDocumentAloneAndCitesMembersAndPages() throws Exception {
        Path model = RandomModels.write(dir.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 7);
        addReadAndAsk(model, PromptLayout.PLAIN);
    }

    @Test
    void anRwkv7CollectionInTheG1TurnGoesOnBeforeTheTurnEnd() throws Exception {
        Path model = RandomModels.write(dir.resolve("r7.pth"), Architecture.RWKV7, 2, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 11);
        addReadAndAsk(model, PromptLayout.G1);
    }

    private void addReadAndAsk(Path modelFile, PromptLayout layout) throws Exception {
        Path lease = dir.resolve("lease.pdf"), rules = dir.resolve("rules.md");
        dev.goldfinch.app.TestPdfs.write(lease, null, "The lease starts on the first of May.", "The rent is due on the third day of each month.");
        Files.writeString(rules, "# House rules\n\nNo pets in the flat.\n\n## Bins\n\nBins go out on Tuesday evening.\n");
        WorldTokenizer tokenizer = WorldTokenizer.load(VOCAB);
        try (Library library = Library.open(dir.resolve(layout + ".sqlite"), new IngestSource(f -> null));
             Model model = ModelLoader.load(modelFile, OptionalDouble.empty())) {
            Librarian librarian = new Librarian(library, model, tokenizer, layout);
            librarian.reader().chunkTokens(7).checkpointEvery(16);
            CollectionShelf shelf = library.collections();
            long a = library.add(lease, tokenizer).documentId(), b = library.add(rules, tokenizer).documentId();
            long both = shelf.create("Flat");
            assertThrows(EngineException.class, () -> shelf.create(" Flat "), "one collection of a name");
            assertThrows(EngineException.class, () -> librarian.read(both, CachePrecision.F16, p -> { }, () -> false), "an empty collection has nothing to read");

            CollectionContent first = shelf.withAdded(both, a, tokenizer);
            assertEquals(new ReadingChange(0, librarian.costOf(both, first, CachePrecision.F16).total()), librarian.costOf(both, first, CachePrecision.F16));
            librarian.change(both, first, CachePrecision.F16);
            librarian.read(both, CachePrecision.F16, p -> { }, () -> false);
            int readA = librarian.reader().tokenCount(both);
            assertEquals(readA, librarian.reader().stepsOfLastPrefill());

            CollectionContent second = shelf.withAdded(both, b, tokenizer);
            ReadingChange cost = librarian.costOf(both, second, CachePrecision.F16);
            int separator = tokenizer.encode(CollectionContent.separator(2, "House rules")).length;
            int body = layout.framesDocument() ? tokenizer.encode(dev.goldfinch.engine.answer.CleanedText.clean(library.text(b))).length
                    : library.store().documents().tokens(b).length;
            int turnEnd = layout.framesDocument() ? 1 : 0; // G1's "\n\n", read after the last member again
            assertEquals(readA - turnEnd, cost.readFrom(), "the addition goes on from the end of the lease's body");
            assertEquals(separator + body + turnEnd, cost.tokensToRead(), "the cost said before: the rules' separator and body (and the turn end)");
            assertEquals(cost.readFrom(), librarian.change(both, second, CachePrecision.F16));
            DocumentStatus paused = library.statuses(librarian.reader().modelId(), d -> librarian.reader().tokensHash(d.id()), java.util.Set.of()).stream()
                    .filter(s -> s.id() == both).findFirst().orElseThrow();
            assertEquals(CacheState.PAUSED, paused.state());
            assertEquals(2, paused.members());
            assertEquals(cost.readFrom(), paused.readFrom(), "the library says where the reading goes on from (the window's estimate)");
            CacheInfo read = librarian.read(both, CachePrecision.F16, p -> { }, () -> false);
            assertEquals(cost.tokensToRead(), librarian.reader().stepsOfLastPrefill(), "counted: adding the rules read the rules alone");
            assertTrue(read.complete());

            OpenDocument open = librarian.open(both, RestoreProgress.NONE);
            assertEquals(0, open.snapshot().recurrentSteps());
            Answer answer = librarian.ask(open.snapshot().copy(), "When do the bins go out?", GREEDY, t -> { }, t -> { }, () -> false);
            List<Source> sources = librarian.sourcesOf(open, "When do the bins go out?", answer, 3);
            {
                // a GoldFinch's where its attention went, an RWKV-7's the passages matching the answer: both name the member
                assertFalse(sources.isEmpty(), "the answer cites the collection");
                List<CollectionMember> members = shelf.members(both);
                for (Source s : sources) {
                    CollectionMember m = members.stream().filter(x -> x.title().equals(s.document())).findFirst().orElseThrow(() -> new AssertionError("names a member: " + s));
                    assertTrue(s.pageLabel().startsWith(m.title() + " · "), "the page label names the member and its page: " + s.pageLabel());
                    assertTrue(s.start() >= m.textStart() && s.end() <= m.textEnd(), "the passage lies in that member's text, not its separator: " + s);
                }
                assertTrue(sources.stream().allMatch(s -> s.pageLabel().matches("(The lease starts.*|lease) · p\\. [12]|House rules · (House rules|Bins)")),
                        "a PDF member's page, a Markdown member's heading: " + sources.stream().map(Source::pageLabel).toList());
            }

            // moved: the rules first; the reading goes back to the start (nothing before the first member agrees)
            CollectionContent moved = shelf.arranged(both, List.of(2, 1), tokenizer);
            assertEquals(1, shelf.firstChanged(both, moved));
            assertEquals(0, librarian.costOf(both, moved, CachePrecision.F16).readFrom());

            // a document removed from the library stays in the collection, read as it was
            String hashBefore = librarian.reader().tokensHash(both);
            library.remove(a);
            assertEquals(hashBefore, librarian.reader().tokensHash(both));
            assertFalse(shelf.members(both).getFirst().inLibrary());
            assertEquals(librarian.reader().tokenCount(both), librarian.reader().repoint(both, CachePrecision.F16), "still read: nothing to read");

            // the lease taken out: the rules are read again, now as document 1, from the start
            CollectionContent rulesOnly = shelf.without(both, 1, tokenizer);
            assertEquals(1, shelf.firstChanged(both, rulesOnly));
            assertEquals(0, librarian.change(both, rulesOnly, CachePrecision.F16));
            assertTrue(library.text(both).startsWith("=== Document 1: House rules ===\n"), library.text(both));
            int[] read2 = DocumentTurn.ofCollection(layout, library.text(both), library.store().documents().tokens(both), shelf.members(both), tokenizer).tokens();
            librarian.read(both, CachePrecision.F16, p -> { }, () -> false);
            assertEquals(read2.length, librarian.reader().stepsOfLastPrefill());
        }
    }
}
