package dev.goldfinch.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.Fixtures;
import dev.goldfinch.engine.answer.DocumentTurn;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.generate.Generator;
import dev.goldfinch.engine.generate.SamplingOptions;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.reading.DocumentReader;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import dev.goldfinch.engine.transfer.Framing;
import dev.goldfinch.engine.transfer.ReadingExporter;
import dev.goldfinch.engine.transfer.ReadingImporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A read document handed over as one file: exported from one real store, imported into another, answered with the same
 * logits and tokens and no step of reading; and every bad file (another model, damaged, forged, not an export, newer)
 * refused in one line with the store file unchanged byte for byte. Random-weight models with the World vocabulary,
 * real SQLite files; forged files are made by SQL with their checksums computed again, as a forger would.
 */
class ReadingTransferTest {
    static final int[] QUESTION = {11, 22, 33, 44};

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    static WorldTokenizer tokenizer;
    static Path goldfinch;
    static Path goldfinchTwin;
    static Path rwkv7;
    static Path export;
    static Path source;
    static int[] answer;
    static float[] logits;

    static final String TEXT = """
            The lease of the blue archive starts on the first of May. The rent is due on the third day of each month, \
            and the tenant keeps the garden. The landlord repairs the roof; the tenant repairs the windows.
            Notice is given in writing, three months ahead, at the end of a quarter.""".repeat(3);

    @BeforeAll
    static void readAndExport() throws Exception {
        tokenizer = WorldTokenizer.load(Fixtures.vocabulary());
        goldfinch = RandomModels.write(shared.resolve("gf.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 7);
        // the same file but for one bit in the middle of its weights: the same size, the same identity (which samples the
        // file's ends), another SHA-256
        byte[] twin = Files.readAllBytes(goldfinch);
        twin[twin.length / 2] ^= 1;
        goldfinchTwin = Files.write(shared.resolve("gf-twin.pth"), twin);
        rwkv7 = RandomModels.write(shared.resolve("rwkv7.pth"), Architecture.RWKV7, 2, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 9);
        source = shared.resolve("source.sqlite");
        export = shared.resolve("lease.gfread");
        try (Model model = load(goldfinch); DocumentStore store = DocumentStore.open(source)) {
            long id = addLease(store);
            DocumentReader reader = reader(store, model, PromptLayout.PLAIN);
            reader.prefill(id, CachePrecision.F16, p -> { }, () -> false);
            InferenceState opened = reader.open(id);
            answer = answer(model, opened);
            logits = logits(model, opened);
            ReadingExporter.export(store, model, tokenizer, id, export, TransferProgress.NONE, () -> false);
        }
    }

    static Model load(Path checkpoint) {
        return ModelLoader.load(checkpoint, OptionalDouble.empty());
    }

    static long addLease(DocumentStore store) throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(TEXT.getBytes(StandardCharsets.UTF_8)));
        return store.documents().put(hash, "lease.txt", TEXT, tokenizer.encode(TEXT), "{\"title\":\"Lease\",\"unit\":\"page\"}");
    }

    static DocumentReader reader(DocumentStore store, Model model, PromptLayout layout) {
        return new DocumentReader(store, model, DocumentTurn.reading(layout, tokenizer)).chunkTokens(32).checkpointEvery(64);
    }

    static int[] answer(Model model, InferenceState document) {
        return new Generator(model).generate(document.copy(), QUESTION, 8, SamplingOptions.greedy(), t -> false, t -> { }, () -> false);
    }

    static float[] logits(Model model, InferenceState document) {
        return model.forward(document.copy(), QUESTION, 0, QUESTION.length, Model.Logits.LAST);
    }

    // ---- the round trip -----------------------------------------------------------------------------------------

    /** Exported, imported into a fresh store: the same logits bit for bit and the same answer, and no step of reading. */
    @ParameterizedTest
    @CsvSource({"goldfinch, plain, F16", "goldfinch, chat, Q8", "goldfinch, plain, F32", "rwkv7, g1, F16"})
    void aReadingImportedElsewhereAnswersAsTheOriginalWithoutReading(String arch, String layoutName, CachePrecision precision) throws Exception {
        PromptLayout layout = PromptLayout.parse(layoutName);
        Path checkpoint = arch.equals("rwkv7") ? rwkv7 : goldfinch;
        Path from = dir.resolve("from.sqlite"), to = dir.resolve("to.sqlite"), file = dir.resolve("lease.gfread");
        int[] wantAnswer;
        float[] wantLogits;
        try (Model model = load(checkpoint)) {
            try (DocumentStore store = DocumentStore.open(from)) {
                long id = addLease(store);
                DocumentReader reader = reader(store, model, layout);
                reader.prefill(id, precision, p -> { }, () -> false);
                wantAnswer = answer(model, reader.open(id));
                wantLogits = logits(model, reader.open(id));
                AtomicInteger steps = new AtomicInteger();
                ReadingManifest m = ReadingExporter.export(store, model, tokenizer, id, file, (s, d, t) -> steps.incrementAndGet(), () -> false);
                assertEquals(Framing.of(layout).id(), m.framing());
                assertEquals(Files.size(checkpoint), m.modelSize());
                assertEquals(sha256(checkpoint), m.modelSha256());
                assertTrue(steps.get() > 0, "the export says how far it is");
            }
            try (DocumentStore store = DocumentStore.open(to)) {
                ReadingImporter.Imported imported = ReadingImporter.importFile(store, model, tokenizer, file, TransferProgress.NONE, () -> false);
                assertEquals(ReadingImporter.Outcome.ADDED, imported.outcome());
                assertEquals("lease.txt", imported.name());
                assertEquals(TEXT, store.documents().text(imported.documentId()));
                assertEquals("{\"title\":\"Lease\",\"unit\":\"page\"}", store.documents().get(imported.documentId()).orElseThrow().metadata());
                DocumentReader reader = reader(store, model, layout);
                AtomicInteger chunksRead = new AtomicInteger();
                CacheInfo cache = reader.prefill(imported.documentId(), precision, p -> chunksRead.incrementAndGet(), () -> false);
                assertEquals(0, chunksRead.get(), "the imported document is not read again");
                assertEquals(precision, cache.precision());
                InferenceState opened = reader.open(imported.documentId());
                assertEquals(0, opened.recurrentSteps(), "opening it takes no recurrent step");
                assertArrayEquals(wantLogits, logits(model, opened), 0f, "the same logits, bit for bit");
                assertArrayEquals(wantAnswer, answer(model, opened));
                assertEquals(1, store.readings().all().size());
            }
        }
    }

    @Test
    void aDocumentAlreadyReadChangesNothingAndOneUnreadGetsTheReadingAdded() throws Exception {
        try (Model model = load(goldfinch)) {
            Path copy = Files.copy(source, dir.resolve("again.sqlite"));
            unchanged(copy, () -> {
                try (DocumentStore store = DocumentStore.open(copy)) {
                    ReadingImporter.Imported i = ReadingImporter.importFile(store, model, tokenizer, export, TransferProgress.NONE, () -> false);
                    assertEquals(ReadingImporter.Outcome.ALREADY_READ, i.outcome());
                }
            });
            Path unread = dir.resolve("unread.sqlite");
            long id;
            try (DocumentStore store = DocumentStore.open(unread)) {
                id = addLease(store);
            }
            try (DocumentStore store = DocumentStore.open(unread)) {
                ReadingImporter.Imported i = ReadingImporter.importFile(store, model, tokenizer, export, TransferProgress.NONE, () -> false);
                assertEquals(ReadingImporter.Outcome.READING_ADDED, i.outcome());
                assertEquals(id, i.documentId(), "the library's own row is reused");
                assertEquals(1, store.documents().all().size());
                assertArrayEquals(answer, answer(model, reader(store, model, PromptLayout.PLAIN).open(id)));
            }
        }
    }

    @Test
    void aCancelledImportChangesNothingAndACancelledExportLeavesNoFile() throws Exception {
        try (Model model = load(goldfinch)) {
            Path store = storeWithAnotherDocument(model);
            unchanged(store, () -> {
                try (DocumentStore s = DocumentStore.open(store)) {
                    AtomicInteger calls = new AtomicInteger();
                    // cancelled once the import writes: the rows it wrote are rolled back
                    assertThrows(TransferCancelledException.class, () -> ReadingImporter.importFile(s, model, tokenizer, export,
                            (step, d, t) -> { }, () -> calls.incrementAndGet() > 1));
                }
            });
            Path out = dir.resolve("cancelled.gfread");
            try (DocumentStore s = DocumentStore.open(source)) {
                long id = s.documents().all().getFirst().id();
                assertThrows(TransferCancelledException.class, () -> ReadingExporter.export(s, model, tokenizer, id, out, TransferProgress.NONE, () -> true));
            }
            assertFalse(Files.exists(out));
            assertFalse(Files.exists(dir.resolve("cancelled.gfread.part")));
        }
    }

    @Test
    void anExportOverTheLibraryOrTheModelOrOfAnUnreadDocumentIsRefused() throws Exception {
        Path library = Files.copy(source, dir.resolve("library.sqlite"));
        Path checkpoint = Files.copy(goldfinch, dir.resolve("gf.pth"));
        byte[] model = Files.readAllBytes(checkpoint);
        try (Model m = load(checkpoint); DocumentStore store = DocumentStore.open(library)) {
            long id = store.documents().all().getFirst().id();
            EngineException self = assertThrows(EngineException.class, () -> ReadingExporter.export(store, m, tokenizer, id, library, TransferProgress.NONE, () -> false));
            assertEquals(library + " is the library itself; choose another file to export to", self.getMessage());
            EngineException over = assertThrows(EngineException.class, () -> ReadingExporter.export(store, m, tokenizer, id, checkpoint, TransferProgress.NONE, () -> false));
            assertEquals(checkpoint + " is the model's checkpoint; choose another file to export to", over.getMessage());
            String text = "Not read yet.";
            long unread = store.documents().put("b".repeat(64), "unread.txt", text, tokenizer.encode(text), null);
            EngineException notRead = assertThrows(EngineException.class, () -> ReadingExporter.export(store, m, tokenizer, unread, dir.resolve("u.gfread"),
                    TransferProgress.NONE, () -> false));
            assertEquals("'unread.txt' is not read by gf.pth yet; read it first, then export the reading", notRead.getMessage());
        }
        assertArrayEquals(model, Files.readAllBytes(checkpoint));
        assertFalse(Files.exists(dir.resolve("u.gfread")));
    }

    @Test
    void theModelsSha256IsComputedOnceForAnUnchangedFile() throws Exception {
        Path copy = Files.copy(goldfinch, dir.resolve("copy.pth"));
        AtomicInteger pieces = new AtomicInteger();
        String first = dev.goldfinch.engine.transfer.CheckpointSha256.of(copy, (s, d, t) -> pieces.incrementAndGet(), () -> false);
        int computed = pieces.get();
        assertTrue(computed > 0);
        assertEquals(sha256(copy), first);
        assertEquals(first, dev.goldfinch.engine.transfer.CheckpointSha256.of(copy, (s, d, t) -> pieces.incrementAndGet(), () -> false));
        assertEquals(computed, pieces.get(), "the second time it is remembered, not computed");
        byte[] b = Files.readAllBytes(copy);
        b[b.length / 2] ^= 1;
        Files.write(copy, b);
        Files.setLastModifiedTime(copy, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertEquals(sha256(copy), dev.goldfinch.engine.transfer.CheckpointSha256.of(copy, TransferProgress.NONE, () -> false), "a changed file is hashed again");
    }

    // ---- refusals: one line, the store unchanged ------------------------------------------------------------------

    @Test
    void aFileMadeForAnotherModelIsRefused() throws Exception {
        try (Model a = load(goldfinch); Model b = load(goldfinchTwin)) {
            assertEquals(a.checkpoint().identity(), b.checkpoint().identity(), "the twin has the same size and identity: only its SHA-256 tells them apart");
        }
        refused(export, goldfinchTwin, "lease.gfread was made for another model: gf.pth (");
        refused(export, goldfinchTwin, "), not gf-twin.pth (SHA-256 ");
        refused(export, rwkv7, "lease.gfread was made for another model: gf.pth (");
    }

    @Test
    void aDamagedFileIsRefused() throws Exception {
        byte[] whole = Files.readAllBytes(export);
        refused(write("half.gfread", java.util.Arrays.copyOf(whole, whole.length / 2)), goldfinch, "half.gfread is damaged (it is cut short: ");
        refused(write("nohead.gfread", java.util.Arrays.copyOf(whole, 60)), goldfinch, "nohead.gfread is damaged (it is cut short: 60 bytes, less than its header)");
        refused(flipInside(blob("SELECT cc FROM cache_chunks WHERE first_position = 0"), "cc.gfread"), goldfinch,
                "cc.gfread is damaged (its rows at position 0 fail their checksum); nothing was imported");
        refused(flipInside(TEXT.substring(40, 120).getBytes(StandardCharsets.UTF_8), "text.gfread"), goldfinch,
                "text.gfread is damaged (its document fails its checksum); nothing was imported");
        refused(flipInside(blob("SELECT att_shift FROM cache_states WHERE layer = 1"), "state.gfread"), goldfinch,
                "state.gfread is damaged (layer 1's state fails its checksum); nothing was imported");
    }

    /** Random bytes flipped anywhere: refused in one line with the store unchanged, or (the flip hit nothing used) the same answer. */
    @Test
    void randomlyFlippedBytesAreRefusedOrChangeNothing() throws Exception {
        byte[] whole = Files.readAllBytes(export);
        Random random = new Random(19);
        int refusedCount = 0;
        try (Model model = load(goldfinch)) {
            Path base = storeWithAnotherDocument(model);
            for (int run = 0; run < 40; run++) {
                byte[] b = whole.clone();
                for (int k = 1 + random.nextInt(4); k > 0; k--) b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                Path file = write("flip" + run + ".gfread", b);
                Path store = Files.copy(base, dir.resolve("flip" + run + ".sqlite"));
                byte[] before = Files.readAllBytes(store);
                try (DocumentStore s = DocumentStore.open(store)) {
                    ReadingImporter.Imported i = ReadingImporter.importFile(s, model, tokenizer, file, TransferProgress.NONE, () -> false);
                    assertArrayEquals(answer, answer(model, reader(s, model, PromptLayout.PLAIN).open(i.documentId())), "run " + run + ": imported, so the same answer");
                    continue;
                } catch (EngineException e) {
                    assertFalse(e.getMessage().contains("\n"), e.getMessage());
                    assertTrue(e.getMessage().startsWith("flip" + run + ".gfread "), e.getMessage());
                    refusedCount++;
                }
                assertArrayEquals(before, Files.readAllBytes(store), "run " + run + ": refused, and the store is as it was");
            }
        }
        assertTrue(refusedCount > 0);
    }

    @Test
    void aForgedFileIsRefused() throws Exception {
        refused(forge("size.gfread", c -> {
            byte[] cc = blob(c, "SELECT cc FROM cache_chunks WHERE first_position = 0");
            byte[] t = blob(c, "SELECT tokens FROM cache_chunks WHERE first_position = 0");
            byte[] shorter = java.util.Arrays.copyOf(cc, cc.length - 2);
            update(c, "UPDATE cache_chunks SET cc = ?, crc = ? WHERE first_position = 0", shorter, Readings.chunkChecksum(1, 0, t.length / 4, "F16", t, shorter));
        }), goldfinch, "size.gfread is not a reading this version wrote (its rows at position 0 have impossible sizes); nothing was imported");
        refused(forge("hash.gfread", c -> {
            update(c, "UPDATE caches SET tokens_hash = ?", "0".repeat(64));
            Readings.sealCache(c, 1);
        }), goldfinch, "hash.gfread is not a reading this version wrote (its reading is of ");
        refused(forge("crc.gfread", c -> update(c, "UPDATE cache_states SET crc = crc + 1 WHERE layer = 0")), goldfinch,
                "crc.gfread is damaged (layer 0's state fails its checksum)");
        refused(forge("layers.gfread", c -> update(c, "DELETE FROM cache_states WHERE layer = 2")), goldfinch,
                "layers.gfread is not a reading this version wrote (its reading has 2 layer states; the model has 3 layers)");
        refused(forge("width.gfread", c -> {
            update(c, "UPDATE caches SET cc_width = 16");
            Readings.sealCache(c, 1);
        }), goldfinch, "width.gfread is not a reading this version wrote (its reading's rows are 16 numbers wide; the model's are ");
        refused(forge("shape.gfread", c -> resealManifest(c, "layers = 4")), goldfinch,
                "shape.gfread is not a reading this version wrote (it describes its model as goldfinch L4-D64");
        refused(forge("positions.gfread", c -> {
            update(c, "UPDATE caches SET positions = positions - 1, total_tokens = total_tokens - 1");
            Readings.sealCache(c, 1);
        }), goldfinch, "positions.gfread is not a reading this version wrote (its reading is of ");
        refused(forge("claims.gfread", c -> {
            update(c, "UPDATE documents SET token_count = 25000000000");
            Documents.sealDocument(c, 1);
        }), goldfinch, "claims.gfread is not a reading this version wrote (its document claims 25,000,000,000 tokens in ");
        refused(forge("view.gfread", c -> update(c, "CREATE VIEW everything AS SELECT * FROM documents")), goldfinch,
                "view.gfread is not a reading this version wrote (it holds view everything that no export has)");
        refused(forge("trigger.gfread", c -> update(c, "CREATE TRIGGER t AFTER INSERT ON members BEGIN DELETE FROM documents; END")), goldfinch,
                "trigger.gfread is not a reading this version wrote (it holds trigger t that no export has)");
        refused(forge("nan.gfread", c -> {
            byte[] att = blob(c, "SELECT att_shift FROM cache_states WHERE layer = 0");
            java.nio.ByteBuffer.wrap(att).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(0, Float.NaN);
            byte[] ffn = blob(c, "SELECT ffn_shift FROM cache_states WHERE layer = 0");
            byte[] wkv = blob(c, "SELECT wkv FROM cache_states WHERE layer = 0");
            int positions = (int) number(c, "SELECT positions FROM caches");
            update(c, "UPDATE cache_states SET att_shift = ?, crc = ? WHERE layer = 0", att, Readings.stateChecksum(1, positions, 0, att, ffn, wkv));
        }), goldfinch, "nan.gfread is not a reading this version wrote (layer 0's state holds a number that is not finite)");
        refused(forge("tokens.gfread", c -> {
            byte[] t = blob(c, "SELECT tokens FROM cache_chunks WHERE first_position = 0");
            byte[] cc = blob(c, "SELECT cc FROM cache_chunks WHERE first_position = 0");
            t[0] ^= 1;
            update(c, "UPDATE cache_chunks SET tokens = ?, crc = ? WHERE first_position = 0", t, Readings.chunkChecksum(1, 0, t.length / 4, "F16", t, cc));
        }), goldfinch, "tokens.gfread is not a reading this version wrote (its rows at position 0 are of other tokens than its document's)");
    }

    @Test
    void whatIsNoExportOrANewerOneIsRefused() throws Exception {
        refused(write("notes.gfread", "just some text, long enough to be read as a header of a hundred bytes or more, it goes on and on and on".getBytes(StandardCharsets.UTF_8)),
                goldfinch, "notes.gfread is not a GoldFinch reading export (not an SQLite file); nothing was imported");
        Path library = Files.copy(source, dir.resolve("library.gfread"));
        refused(library, goldfinch, "library.gfread is a GoldFinch library (a store), not a reading export; export a reading from it first; nothing was imported");
        Path other = dir.resolve("other.gfread");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(x)");
        }
        refused(other, goldfinch, "other.gfread is not a GoldFinch reading export (an SQLite file of another program); nothing was imported");
        refused(forge("newer.gfread", c -> update(c, "PRAGMA user_version = 3")), goldfinch,
                "newer.gfread was made by a newer GoldFinch Reader (format 3; this version reads format 2); nothing was imported");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** A store holding another document, read: what an import must leave as it was. */
    Path storeWithAnotherDocument(Model model) throws Exception {
        Path db = dir.resolve("library-" + System.nanoTime() + ".sqlite");
        try (DocumentStore store = DocumentStore.open(db)) {
            String text = "A note about the garden and the windows of the house.";
            long id = store.documents().put("a".repeat(64), "note.txt", text, tokenizer.encode(text), null);
            reader(store, model, PromptLayout.PLAIN).prefill(id, CachePrecision.F16, p -> { }, () -> false);
        }
        return db;
    }

    /** Importing {@code file} with {@code checkpoint} fails with one line holding {@code expected}; the store's file is unchanged. */
    void refused(Path file, Path checkpoint, String expected) throws Exception {
        try (Model model = load(checkpoint)) {
            Path store = storeWithAnotherDocument(model);
            unchanged(store, () -> {
                try (DocumentStore s = DocumentStore.open(store)) {
                    EngineException e = assertThrows(EngineException.class, () -> ReadingImporter.importFile(s, model, tokenizer, file, TransferProgress.NONE, () -> false));
                    assertTrue(e.getMessage().contains(expected), "expected «" + expected + "» in: " + e.getMessage());
                    assertFalse(e.getMessage().contains("\n"), e.getMessage());
                }
            });
        }
    }

    interface Work {
        void run() throws Exception;
    }

    /** Runs {@code work} and checks the store file holds the same bytes after it (the store closed both times). */
    static void unchanged(Path store, Work work) throws Exception {
        byte[] before = Files.readAllBytes(store);
        work.run();
        assertArrayEquals(before, Files.readAllBytes(store), "the store file is byte for byte as it was");
        assertFalse(Files.exists(store.resolveSibling(store.getFileName() + "-wal")) && Files.size(store.resolveSibling(store.getFileName() + "-wal")) > 0);
    }

    interface Forgery {
        void apply(Connection c) throws Exception;
    }

    /** A copy of the export changed by SQL. */
    Path forge(String name, Forgery f) throws Exception {
        Path copy = Files.copy(export, dir.resolve(name));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy)) {
            f.apply(c);
        }
        return copy;
    }

    static void resealManifest(Connection c, String set) throws Exception {
        update(c, "UPDATE manifest SET " + set);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT kind, created_at, made_by, model_file, model_size, model_sha256,"
                + " model_identity, architecture, layers, d_model, att_width, cc_width, vocab, description, framing FROM manifest")) {
            rs.next();
            ReadingManifest m = new ReadingManifest(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6),
                    rs.getString(7), rs.getString(8), rs.getInt(9), rs.getInt(10), rs.getInt(11), rs.getInt(12), rs.getInt(13), rs.getString(14), rs.getString(15));
            update(c, "UPDATE manifest SET crc = ?", m.checksum());
        }
    }

    static void update(Connection c, String sql, Object... args) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
        }
    }

    static byte[] blob(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBytes(1);
        }
    }

    static long number(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static byte[] blob(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(DocumentStore.connectionUrl(export, true))) {
            return blob(c, sql);
        }
    }

    /** A copy of the export with one bit flipped in the middle of where {@code content} lies in the file. */
    Path flipInside(byte[] content, String name) throws Exception {
        byte[] file = Files.readAllBytes(export);
        int window = Math.min(48, content.length), from = content.length / 2 - window / 2;
        byte[] needle = java.util.Arrays.copyOfRange(content, from, from + window);
        int at = indexOf(file, needle);
        assertTrue(at >= 0, "the content lies in the file as written");
        file[at + window / 2] ^= 0x10;
        return write(name, file);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
