package dev.goldfinch.app.recall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.store.StoredRecallCheck;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check's mechanics with small random-weight models (their answers are noise, so what is checked is the grid, the
 * scoring of what they said, the reading shared per length, the store and the cancel, not their recall).
 */
class RecallCheckTest {
    @TempDir
    Path dir;

    private static WorldTokenizer tokenizer() {
        return WorldTokenizer.load(FactPlanterTest.VOCAB);
    }

    private void assertScoredAsTheRuleSays(RecallGrid grid) {
        for (RecallGrid.Cell c : grid.cells()) {
            assertEquals(1, c.asked());
            assertEquals(RecallScore.recalled(c.answer(), c.expected()) ? 1 : 0, c.recalled(), "scored by the rule: " + c);
            assertTrue(c.question().startsWith("What is the access code of the "), c.question());
            assertTrue(c.tokens() > c.length() - 3 * FactPlanter.FACT_TOKENS - 40 && c.tokens() <= c.length() + 8, "its length: " + c);
        }
    }

    @Test
    void everyDepthOfEveryLengthIsReadOnceFromItsSharedBeginningAskedAndKeptCellByCell() throws Exception {
        Path pth = RandomModels.write(dir.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 5);
        RecallPlan plan = new RecallPlan(List.of(512, 256), 5, 1, 1);
        List<RecallCheck.Progress> seen = new CopyOnWriteArrayList<>();
        Path scratch = dir.resolve("scratch");
        RecallGrid grid;
        String identity;
        try (Model model = ModelLoader.load(pth, OptionalDouble.empty()); DocumentStore store = DocumentStore.open(dir.resolve("library.sqlite"))) {
            identity = model.checkpoint().identity();
            grid = new RecallCheck(model, tokenizer(), PromptLayout.PLAIN, store, scratch).run(plan, 1000, seen::add, () -> false);
            assertEquals(0, store.documents().all().size(), "the person's library gets none of the check's documents");
        }
        assertTrue(grid.finished());
        assertEquals(List.of(256, 512), grid.lengths());
        assertEquals(10, grid.scoredCells());
        assertScoredAsTheRuleSays(grid);
        // Read once up to each fact: a little over half of what reading every document from its first token takes.
        long read = seen.getLast().tokensRead(), unshared = grid.cells().stream().mapToLong(RecallGrid.Cell::tokens).sum();
        assertTrue(read < 0.8 * unshared && read >= 0.5 * unshared, "read " + read + " of " + unshared);
        assertEquals(10, seen.getLast().cellsScored());
        try (Stream<Path> left = Files.list(scratch)) {
            assertEquals(List.of(), left.toList(), "the scratch stores are gone");
        }
        try (DocumentStore store = DocumentStore.open(dir.resolve("library.sqlite"))) {
            StoredRecallCheck row = store.recallChecks().latest(identity).orElseThrow();
            assertTrue(row.finished() && row.intact());
            assertEquals(grid, RecallGrid.fromJson(row.grid()), "the store gives the grid back");
            assertEquals("gf", row.modelName());
        }
    }

    @Test
    void aCancelledCheckKeepsTheCellsScoredAndSaysItDidNotFinish() throws Exception {
        Path pth = RandomModels.write(dir.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 6);
        RecallPlan plan = new RecallPlan(List.of(256, 512), 4, 2, 3);
        int[] scored = {0};
        RecallGrid grid;
        String identity;
        try (Model model = ModelLoader.load(pth, OptionalDouble.empty()); DocumentStore store = DocumentStore.open(dir.resolve("library.sqlite"))) {
            identity = model.checkpoint().identity();
            grid = new RecallCheck(model, tokenizer(), PromptLayout.PLAIN, store, dir.resolve("scratch")).run(plan, 1000,
                    p -> scored[0] = p.cellsScored(), () -> scored[0] >= 5);
        }
        assertFalse(grid.finished());
        assertEquals(5, grid.scoredCells(), "the four cells of 256 and one of 512");
        assertEquals(4, grid.tally(256).scored());
        assertScoredAsTheRuleSays(grid);
        try (DocumentStore store = DocumentStore.open(dir.resolve("library.sqlite"))) {
            StoredRecallCheck row = store.recallChecks().latest(identity).orElseThrow();
            assertFalse(row.finished(), "the run says it was cut short");
            assertEquals(grid, RecallGrid.fromJson(row.grid()));
        }
    }

    @Test
    void anRwkv7ModelReadsItsDocumentsAsG1SystemTurns() throws Exception {
        Path pth = RandomModels.write(dir.resolve("rwkv7.pth"), Architecture.RWKV7, 2, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 8);
        RecallGrid grid;
        List<RecallCheck.Progress> seen = new CopyOnWriteArrayList<>();
        try (Model model = ModelLoader.load(pth, OptionalDouble.empty()); DocumentStore store = DocumentStore.open(dir.resolve("library.sqlite"))) {
            PromptLayout layout = PromptLayout.forArchitecture(model.config().architecture().id, PromptLayout.PLAIN);
            assertEquals(PromptLayout.G1, layout);
            grid = new RecallCheck(model, tokenizer(), layout, store, dir.resolve("scratch")).run(new RecallPlan(List.of(256), 3, 1, 1), 500, seen::add,
                    () -> false);
        }
        assertTrue(grid.finished());
        assertEquals(3, grid.scoredCells());
        long read = seen.getLast().tokensRead(), unshared = grid.cells().stream().mapToLong(RecallGrid.Cell::tokens).sum();
        assertTrue(read < 0.85 * unshared, "the G1 framing's beginning is shared too: read " + read + " of " + unshared);
    }
}
