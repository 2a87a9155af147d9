package dev.goldfinch.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `goldfinch ask --collection NAME --doc A --doc B …`: made the first time, extended by a document (only it is read,
 * said with its cost first), the same order again reads nothing, another order is read again from the first changed
 * document; sources name the member and its page. A real PDF and Markdown file, a random GoldFinch, a real store.
 */
class AskCollectionTest {
    @TempDir
    Path dir;

    private static AskCommandTest.Output run(String... args) {
        return AskCommandTest.captured(args);
    }

    @Test
    void aCollectionIsMadeExtendedByOneDocumentAndAskedWithItsMembersNamed() throws Exception {
        Path model = RandomModels.write(dir.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 7);
        Path lease = dir.resolve("lease.pdf"), rules = dir.resolve("rules.md");
        AskCommandTest.writePdf(lease, "The lease starts on the first of May.", "The rent is due on the third day of each month.");
        Files.writeString(rules, "# House rules\n\nNo pets in the flat.\n\n## Bins\n\nBins go out on Tuesday evening.\n");
        Path db = dir.resolve("store.sqlite");
        List<String> common = List.of("ask", "--model", model.toString(), "--vocab", AskCommandTest.VOCAB.toString(), "--db", db.toString(),
                "--greedy", "--max-new", "6", "--sources", "--collection", "Flat");

        AskCommandTest.Output first = run(args(common, "--doc", lease.toString(), "When is the rent due?"));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.err().contains("goldfinch: collection 'Flat' made with 1 document ("), first.err());
        assertTrue(first.err().contains("reading 'Flat' once"), first.err());
        CacheInfo afterA;
        try (DocumentStore store = DocumentStore.open(db)) {
            long flat = store.collections().byName("Flat").orElseThrow();
            afterA = store.readings().all().stream().filter(c -> c.documentId() == flat).findFirst().orElseThrow();
            assertTrue(afterA.complete());
        }

        AskCommandTest.Output second = run(args(common, "--doc", lease.toString(), "--doc", rules.toString(), "When do the bins go out?"));
        assertEquals(0, second.code(), second.err());
        assertTrue(second.err().contains("goldfinch: collection 'Flat': 'House rules' added; the document read before is not read again ("), second.err());
        assertTrue(second.err().contains(String.format("resuming the reading of 'Flat' at %,d of ", afterA.totalTokens())), "it goes on from the lease's end: " + second.err());
        List<String> sources = second.out().lines().dropWhile(l -> !l.equals("sources (where the model looked):")).skip(1).toList();
        assertTrue(!sources.isEmpty(), second.out());
        for (String s : sources) {
            assertTrue(s.matches("  \\[(The lease starts on the first of May\\. · p\\. [12]|House rules · (House rules|Bins))] \\(\\d+%\\) .+"),
                    "a source names the member and its page: " + s);
        }
        CacheInfo afterB;
        try (DocumentStore store = DocumentStore.open(db)) {
            assertEquals(1, store.collections().all().size());
            assertEquals(3, store.documents().all().size(), "two documents and the collection");
            afterB = store.readings().all().stream().filter(c -> c.documentId() == store.collections().byName("Flat").orElseThrow()).findFirst().orElseThrow();
            assertEquals(afterA.id(), afterB.id(), "the collection's one reading went on");
            assertTrue(afterB.complete() && afterB.totalTokens() > afterA.totalTokens());
        }

        AskCommandTest.Output again = run(args(common, "--doc", lease.toString(), "--doc", rules.toString(), "When do the bins go out?"));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("answering from the saved reading of 'Flat'") && again.err().contains("nothing is read again"), again.err());
        assertEquals(second.out(), again.out(), "the same order reads nothing and answers the same");
        try (DocumentStore store = DocumentStore.open(db)) {
            CacheInfo same = store.readings().cache(afterB.id()).orElseThrow();
            assertEquals(afterB.seconds(), same.seconds());
            assertEquals(afterB.updatedAt(), same.updatedAt(), "nothing was written to the reading");
        }

        AskCommandTest.Output swapped = run(args(common, "--doc", rules.toString(), "--doc", lease.toString(), "Who may keep pets?"));
        assertEquals(0, swapped.code(), swapped.err());
        assertTrue(swapped.err().contains("goldfinch: collection 'Flat' changed from document 1 ('House rules') on: it is read again from there ("), swapped.err());
    }

    @Test
    void severalDocumentsWithoutACollectionAreOneLine() throws Exception {
        Path model = RandomModels.write(dir.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 7);
        Path a = Files.writeString(dir.resolve("a.txt"), "A text."), b = Files.writeString(dir.resolve("b.txt"), "B text.");
        AskCommandTest.Output r = run("ask", "--model", model.toString(), "--vocab", AskCommandTest.VOCAB.toString(), "--db", dir.resolve("s.sqlite").toString(),
                "--doc", a.toString(), "--doc", b.toString(), "What?");
        assertNotEquals(0, r.code());
        assertEquals("goldfinch: --doc names one document; several are asked about as a collection: add --collection NAME", r.err().strip());
        assertTrue(!Files.exists(dir.resolve("s.sqlite")) || storeIsEmpty(dir.resolve("s.sqlite")), "nothing was added");
    }

    private static boolean storeIsEmpty(Path db) {
        try (DocumentStore store = DocumentStore.open(db)) {
            return store.documents().all().isEmpty();
        }
    }

    private static String[] args(List<String> common, String... more) {
        return Stream.concat(common.stream(), Stream.of(more)).toArray(String[]::new);
    }
}
