package dev.goldfinch.engine.store;

import static dev.goldfinch.engine.store.ReadingTransferTest.load;
import static dev.goldfinch.engine.store.ReadingTransferTest.logits;
import static dev.goldfinch.engine.store.ReadingTransferTest.number;
import static dev.goldfinch.engine.store.ReadingTransferTest.reader;
import static dev.goldfinch.engine.store.ReadingTransferTest.resealManifest;
import static dev.goldfinch.engine.store.ReadingTransferTest.unchanged;
import static dev.goldfinch.engine.store.ReadingTransferTest.update;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.Fixtures;
import dev.goldfinch.engine.answer.DocumentTurn;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.reading.DocumentReader;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import dev.goldfinch.engine.transfer.ReadingExporter;
import dev.goldfinch.engine.transfer.ReadingImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A read collection handed over as one file (format 2): exported from one real store, imported into another as a
 * collection with its members, its reading and its member-end checkpoints; answered with the same logits bit for bit
 * and no step of reading; a document added to it then read alone, as it is in the store it came from. Forged
 * collection files (members out of place or of other tokens, checkpoints at no member's end or without their states,
 * a kind its format does not hold) are refused in one line with the store file unchanged. Random-weight GoldFinch and
 * RWKV-7 models with the World vocabulary, real SQLite files.
 */
class CollectionTransferTest {
    static final String[] TITLES = {"The Lease", "The Letter", "The Inventory"};
    static final String[] BODIES = {
        "The lease of the blue archive starts on the first of May. The rent is due on the third day of each month.",
        "Dear tenant, the roof is repaired. The garden is yours to keep; the windows are yours to mend.",
        "One table, four chairs, a lamp with a green shade and a key to the cellar door."};

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    static WorldTokenizer tokenizer;
    static Path goldfinch;
    static Path rwkv7;
    static Path export;

    @BeforeAll
    static void models() throws Exception {
        tokenizer = WorldTokenizer.load(Fixtures.vocabulary());
        ReadingTransferTest.tokenizer = tokenizer;
        goldfinch = RandomModels.write(shared.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 7);
        rwkv7 = RandomModels.write(shared.resolve("rwkv7.pth"), Architecture.RWKV7, 2, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 9);
        export = shared.resolve("papers.gfread");
        try (Model model = load(goldfinch); DocumentStore store = DocumentStore.open(shared.resolve("source.sqlite"))) {
            long id = readCollection(store, model, PromptLayout.PLAIN, CachePrecision.F16, 2);
            ReadingExporter.export(store, model, tokenizer, id, export, TransferProgress.NONE, () -> false);
        }
    }

    /** The collection "Papers" of the first {@code n} members, as the app builds one: each separator and body tokenized on its own. */
    static void setMembers(DocumentStore store, long collection, int n) {
        StringBuilder text = new StringBuilder();
        List<int[]> parts = new ArrayList<>();
        List<CollectionMember> members = new ArrayList<>();
        int at = 0;
        for (int k = 0; k < n; k++) {
            String separator = (k > 0 ? "\n" : "") + "=== Document " + (k + 1) + ": " + TITLES[k] + " ===\n";
            int[] sep = tokenizer.encode(separator), body = tokenizer.encode(BODIES[k]);
            text.append(separator);
            int textStart = text.length();
            text.append(BODIES[k]);
            parts.add(sep);
            parts.add(body);
            members.add(new CollectionMember(k + 1, -1, TITLES[k], textStart, text.length(), at + sep.length, at + sep.length + body.length));
            at += sep.length + body.length;
        }
        int[] tokens = parts.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        store.collections().replace(collection, text.toString(), tokens, "{\"title\":\"Papers\",\"unit\":\"part\",\"collection\":true}", members);
    }

    static long readCollection(DocumentStore store, Model model, PromptLayout layout, CachePrecision precision, int n) {
        long id = store.collections().create("Papers", null);
        setMembers(store, id, n);
        reader(store, model, layout).prefill(id, precision, p -> { }, () -> false);
        return id;
    }

    /** Adds the third member, reads on; the steps that took. */
    static long addThird(DocumentStore store, Model model, PromptLayout layout, CachePrecision precision, long id) {
        setMembers(store, id, 3);
        DocumentReader reader = reader(store, model, layout);
        reader.repoint(id, precision);
        reader.prefill(id, precision, p -> { }, () -> false);
        return reader.stepsOfLastPrefill();
    }

    @ParameterizedTest
    @CsvSource({"goldfinch, plain, F16", "goldfinch, chat, Q8", "rwkv7, g1, F16"})
    void aCollectionImportedElsewhereAnswersAsTheOriginalAndAnAddedDocumentIsReadAlone(String arch, String layoutName, CachePrecision precision) throws Exception {
        PromptLayout layout = PromptLayout.parse(layoutName);
        Path checkpoint = arch.equals("rwkv7") ? rwkv7 : goldfinch;
        Path file = dir.resolve("papers.gfread");
        try (Model model = load(checkpoint)) {
            float[] wantLogits, wantAfterAdding;
            List<CollectionMember> wantMembers;
            List<Integer> wantKept;
            long wantSteps;
            try (DocumentStore store = DocumentStore.open(dir.resolve("from.sqlite"))) {
                long id = readCollection(store, model, layout, precision, 2);
                wantLogits = logits(model, reader(store, model, layout).open(id));
                wantMembers = store.collections().members(id);
                wantKept = store.readings().keptCheckpoints(store.readings().cache(id, store.models().put(ModelIdentity.of(model)), true).orElseThrow());
                assertEquals(2, wantKept.size(), "the reading keeps both members' ends");
                ReadingManifest m = ReadingExporter.export(store, model, tokenizer, id, file, TransferProgress.NONE, () -> false);
                assertEquals(ReadingManifest.COLLECTION, m.kind());
                wantSteps = addThird(store, model, layout, precision, id);
                wantAfterAdding = logits(model, reader(store, model, layout).open(id));
            }
            try (DocumentStore store = DocumentStore.open(dir.resolve("to.sqlite"))) {
                ReadingImporter.Imported imported = ReadingImporter.importFile(store, model, tokenizer, file, TransferProgress.NONE, () -> false);
                assertEquals(ReadingImporter.Outcome.ADDED, imported.outcome());
                assertTrue(imported.collection());
                long id = imported.documentId();
                assertEquals("Papers", imported.name());
                assertEquals(java.util.Optional.of(id), store.collections().byName("Papers"));
                assertEquals(wantMembers, store.collections().members(id), "the same members, titles and spans (none linked to a library document)");
                DocumentReader reader = reader(store, model, layout);
                AtomicInteger chunksRead = new AtomicInteger();
                CacheInfo cache = reader.prefill(id, precision, p -> chunksRead.incrementAndGet(), () -> false);
                assertEquals(0, chunksRead.get(), "the imported collection is not read again");
                assertEquals(wantKept, store.readings().keptCheckpoints(cache), "its members' ends are kept");
                InferenceState opened = reader.open(id);
                assertEquals(0, opened.recurrentSteps(), "opening it takes no recurrent step");
                assertArrayEquals(wantLogits, logits(model, opened), 0f, "the same logits, bit for bit");

                long steps = addThird(store, model, layout, precision, id);
                int[] whole = DocumentTurn.reading(layout, tokenizer).of(store, id);
                int lastEnd = wantKept.getLast();
                assertEquals(whole.length - lastEnd, steps, "adding a document reads from the imported reading's last member end: that document alone");
                assertEquals(wantSteps, steps, "as many steps as the same addition where the collection was read");
                assertArrayEquals(wantAfterAdding, logits(model, reader(store, model, layout).open(id)), 0f, "and the same reading after it, bit for bit");
            }
        }
    }

    @Test
    void aNameTheLibraryHasGetsANumberAndTheSameCollectionAgainChangesNothing() throws Exception {
        try (Model model = load(goldfinch)) {
            Path db = dir.resolve("library.sqlite");
            long id;
            try (DocumentStore store = DocumentStore.open(db)) {
                long other = store.collections().create("Papers", null); // another collection of that name: empty
                ReadingImporter.Imported first = ReadingImporter.importFile(store, model, tokenizer, export, TransferProgress.NONE, () -> false);
                assertEquals(ReadingImporter.Outcome.ADDED, first.outcome());
                assertEquals("Papers (2)", first.name());
                assertEquals("Papers", first.nameInFile());
                id = first.documentId();
                assertEquals("Papers (2)", store.documents().get(id).orElseThrow().name());
                assertEquals("{\"title\":\"Papers (2)\",\"unit\":\"part\",\"collection\":true}", store.documents().get(id).orElseThrow().metadata(),
                        "its title is its new name too");
                assertEquals(java.util.Optional.of(id), store.collections().byName("Papers (2)"));
                assertEquals(java.util.Optional.of(other), store.collections().byName("Papers"));
                assertTrue(store.collections().members(other).isEmpty(), "the library's own 'Papers' is as it was");
            }
            unchanged(db, () -> {
                try (DocumentStore store = DocumentStore.open(db)) {
                    ReadingImporter.Imported again = ReadingImporter.importFile(store, model, tokenizer, export, TransferProgress.NONE, () -> false);
                    assertEquals(ReadingImporter.Outcome.ALREADY_READ, again.outcome(), "the same collection, read by this model, under its new name");
                    assertEquals(id, again.documentId());
                    assertEquals("Papers (2)", again.name());
                    assertEquals(2, store.collections().all().size());
                }
            });
        }
    }

    @Test
    void aForgedCollectionFileIsRefused() throws Exception {
        refused(forge("overlap.gfread", c -> resealMember(c, 2, "text_start = (SELECT text_end - 5 FROM collection_members WHERE ordinal = 1)")),
                "overlap.gfread is not a reading this version wrote (member 2 of its collection does not lie after member 1 inside its text and tokens)");
        refused(forge("past.gfread", c -> resealMember(c, 2, "token_end = token_end + 100")),
                "past.gfread is not a reading this version wrote (member 2 of its collection does not lie after member 1 inside its text and tokens)");
        refused(forge("shifted.gfread", c -> resealMember(c, 1, "text_start = text_start + 1")),
                "shifted.gfread is not a reading this version wrote (member 1's token ids are not those of its text in this vocabulary)");
        refused(forge("short.gfread", c -> resealMember(c, 2, "text_end = text_end - 1, token_end = token_end - 1")),
                "short.gfread is not a reading this version wrote (its collection holds text or tokens after its last member)");
        refused(forge("crc.gfread", c -> update(c, "UPDATE collection_members SET title = 'The Lies' WHERE ordinal = 1")),
                "crc.gfread is damaged (member 1 of its collection fails its checksum)");
        refused(forge("none.gfread", c -> update(c, "DELETE FROM collection_members")),
                "none.gfread is not a reading this version wrote (its collection has 0 members)");
        refused(forge("kept.gfread", c -> {
            long p = number(c, "SELECT min(position) FROM kept_checkpoints") - 3;
            update(c, "INSERT INTO kept_checkpoints(position, crc) VALUES (?, ?)", p, Readings.keptChecksum(1, p));
        }), "kept.gfread is not a reading this version wrote (it keeps a checkpoint at position ");
        refused(forge("stateless.gfread", c -> update(c, "DELETE FROM cache_states WHERE position = (SELECT min(position) FROM kept_checkpoints)")),
                "stateless.gfread is not a reading this version wrote (it holds 0 layer states at position ");
        refused(forge("stray.gfread", c -> {
            long p = number(c, "SELECT min(position) FROM kept_checkpoints");
            update(c, "DELETE FROM kept_checkpoints WHERE position = ?", p); // its states stay: at no position the file keeps
        }), "stray.gfread is not a reading this version wrote (it holds a layer state of another position)");
        refused(forge("kind.gfread", c -> resealManifest(c, "kind = 'document'")),
                "kind.gfread is not a reading this version wrote (its manifest says it holds a document; a format 2 file holds a collection)");
        refused(forge("hash.gfread", c -> {
            update(c, "UPDATE documents SET content_hash = ?", "0".repeat(64));
            Documents.sealDocument(c, 1);
        }), "hash.gfread is not a reading this version wrote (its collection's content hash is not a collection's)");
    }

    static void resealMember(Connection c, int ordinal, String set) throws Exception {
        update(c, "UPDATE collection_members SET " + set + " WHERE ordinal = ?", ordinal);
        try (var s = c.createStatement(); var rs = s.executeQuery("SELECT ordinal, title, text_start, text_end, token_start, token_end FROM collection_members"
                + " WHERE ordinal = " + ordinal)) {
            rs.next();
            CollectionMember m = new CollectionMember(rs.getInt(1), -1, rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getInt(6));
            update(c, "UPDATE collection_members SET crc = ? WHERE ordinal = ?", Collections.memberChecksum(1, m), ordinal);
        }
    }

    Path forge(String name, ReadingTransferTest.Forgery f) throws Exception {
        Path copy = Files.copy(export, dir.resolve(name));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy)) {
            f.apply(c);
        }
        return copy;
    }

    /** Importing {@code file} fails with one line holding {@code expected}; a store holding a read collection is unchanged. */
    void refused(Path file, String expected) throws Exception {
        try (Model model = load(goldfinch)) {
            Path db = dir.resolve("library-" + System.nanoTime() + ".sqlite");
            try (DocumentStore store = DocumentStore.open(db)) {
                readCollection(store, model, PromptLayout.PLAIN, CachePrecision.F16, 1);
            }
            unchanged(db, () -> {
                try (DocumentStore s = DocumentStore.open(db)) {
                    EngineException e = assertThrows(EngineException.class, () -> ReadingImporter.importFile(s, model, tokenizer, file, TransferProgress.NONE, () -> false));
                    assertTrue(e.getMessage().contains(expected), "expected «" + expected + "» in: " + e.getMessage());
                    assertFalse(e.getMessage().contains("\n"), e.getMessage());
                }
            });
        }
    }
}
