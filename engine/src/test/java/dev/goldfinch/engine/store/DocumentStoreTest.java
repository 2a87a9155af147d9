package dev.goldfinch.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.model.SavedState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store on real files: schema, transactions, and bad files refused without being touched. */
class DocumentStoreTest {
    @TempDir
    Path dir;

    static final ModelIdentity MODEL = new ModelIdentity("id-1", "/m.pth", 10, "goldfinch", 6, 128, "test model");

    /**
     * Two processes (here two connections on two threads) opening the same new store at the same moment: one migrates
     * it, the other waits and finds it migrated, instead of failing on "table documents already exists".
     */
    @Test
    void twoOpeningsOfOneNewStoreAtOnceBothSucceed() throws Exception {
        for (int round = 0; round < 12; round++) {
            Path file = dir.resolve("race-" + round + ".sqlite");
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<Integer>> opened = new java.util.ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    opened.add(two.submit(() -> {
                        together.await();
                        try (DocumentStore store = DocumentStore.open(file)) {
                            return store.schemaVersion();
                        }
                    }));
                }
                for (var f : opened) assertEquals(Schema.latestVersion(), f.get(), "round " + round);
            } finally {
                two.shutdownNow();
            }
        }
    }

    @Test
    void newStoreHasTheLatestSchemaAndKeepsDocuments() {
        Path db = dir.resolve("s.sqlite");
        try (DocumentStore s = DocumentStore.open(db)) {
            assertEquals(Schema.latestVersion(), s.schemaVersion());
            long a = s.documents().put("h1", "a.pdf", "text a", new int[] {1, 2, 3}, null);
            assertEquals(a, s.documents().put("h1", "a-again.pdf", "text a", new int[] {1, 2, 3}, null), "same content hash, same document");
            s.documents().put("h2", "b.pdf", "text b", new int[] {4}, "{\"pages\":1}");
        }
        try (DocumentStore s = DocumentStore.open(db)) {
            List<StoredDocument> docs = s.documents().all();
            assertEquals(2, docs.size());
            assertEquals("a.pdf", docs.get(0).name());
            assertArrayEquals(new int[] {1, 2, 3}, s.documents().tokens(docs.get(0).id()));
            assertEquals("text b", s.documents().text(docs.get(1).id()));
            s.documents().delete(docs.get(0).id());
            assertEquals(1, s.documents().all().size());
        }
    }

    @Test
    void cacheRoundTripsInChunksAndReplacesTheOldOneAtomically() throws Exception {
        Path db = dir.resolve("c.sqlite");
        int width = 8, n = Readings.CHUNK_ROWS * 2 + 17;
        int[] tokens = new Random(1).ints(n, 0, 65536).toArray();
        float[] cc = new float[n * width];
        Random r = new Random(2);
        for (int i = 0; i < cc.length; i++) cc[i] = (float) r.nextGaussian() * 3;
        List<SavedState.Layer> layers = List.of(new SavedState.Layer(new float[] {1, 2}, new float[] {3, 4}, new float[] {5, 6, 7, 8}),
                new SavedState.Layer(new float[] {9, 10}, new float[] {11, 12}, null));
        try (DocumentStore s = DocumentStore.open(db)) {
            long doc = s.documents().put("h", "d", "", tokens, null);
            long model = s.models().put(MODEL);
            long cache = s.readings().begin(doc, model, MODEL.identity(), DocumentStore.tokensHash(tokens), CachePrecision.F32, width, n);
            s.readings().write(cache, new Readings.SavedRows(0, 100, slice(tokens, 0, 100), slice(cc, 0, 100 * width), width), layers, 1.0, false);
            assertTrue(s.readings().cache(doc, model, true).isEmpty());
            assertEquals(100, s.readings().cache(doc, model, false).orElseThrow().positions());
            s.readings().write(cache, new Readings.SavedRows(100, n - 100, slice(tokens, 100, n), slice(cc, 100 * width, n * width), width), layers, 2.0, true);
            CacheInfo info = s.readings().cache(doc, model, true).orElseThrow();
            assertEquals(n, info.positions());
            assertEquals(n * (4 + 4 * width), info.bytes());
            SavedState back = s.readings().load(info, MODEL.identity(), DocumentStore.tokensHash(tokens));
            assertArrayEquals(tokens, back.tokens());
            assertArrayEquals(cc, back.compressed());
            assertArrayEquals(new float[] {5, 6, 7, 8}, back.layers().get(0).wkv());
            assertEquals(null, back.layers().get(1).wkv());

            // A new reading of the same document replaces that complete one: until it is complete, and when its
            // completion fails after the old reading was deleted in the same transaction, the old one is there whole.
            float[] cc2 = new float[n * width];
            for (int i = 0; i < cc2.length; i++) cc2[i] = (float) r.nextGaussian() * 5;
            List<SavedState.Layer> layers2 = List.of(new SavedState.Layer(new float[] {21, 22}, new float[] {23, 24}, new float[] {25, 26, 27, 28}),
                    new SavedState.Layer(new float[] {29, 30}, new float[] {31, 32}, null));
            long newer = s.readings().begin(doc, model, MODEL.identity(), DocumentStore.tokensHash(tokens), CachePrecision.F32, width, n);
            s.readings().write(newer, new Readings.SavedRows(0, 100, slice(tokens, 0, 100), slice(cc2, 0, 100 * width), width), layers2, 1.0, false);
            assertOldReading(s, doc, model, info, tokens, cc, "while the new reading is partial");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
                st.execute("CREATE TRIGGER fail_completion BEFORE UPDATE OF complete ON caches WHEN NEW.complete = 1"
                        + " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
            }
            assertThrows(RuntimeException.class, () -> s.readings().write(newer, new Readings.SavedRows(100, n - 100, slice(tokens, 100, n),
                    slice(cc2, 100 * width, n * width), width), layers2, 2.0, true), "the completion fails after the old reading's deletion");
            assertOldReading(s, doc, model, info, tokens, cc, "after a failed completion");
            assertEquals(100, s.readings().cache(newer).orElseThrow().positions(), "and the new reading is as it was before it");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
                st.execute("DROP TRIGGER fail_completion");
            }
            s.readings().write(newer, new Readings.SavedRows(100, n - 100, slice(tokens, 100, n), slice(cc2, 100 * width, n * width), width), layers2, 2.0, true);
            CacheInfo replaced = s.readings().cache(doc, model, true).orElseThrow();
            assertEquals(newer, replaced.id(), "the new reading is the document's reading");
            assertTrue(s.readings().cache(info.id()).isEmpty(), "the old one is gone");
            assertEquals(1, s.readings().all().size(), "one reading of the document for the model");
            assertTrue(s.readings().cache(doc, model, false).isEmpty(), "and no partial one");
            SavedState now = s.readings().load(replaced, MODEL.identity(), DocumentStore.tokensHash(tokens));
            assertArrayEquals(cc2, now.compressed());
            assertArrayEquals(new float[] {25, 26, 27, 28}, now.layers().get(0).wkv());
        }
        try (DocumentStore s = DocumentStore.open(db)) {
            CacheInfo kept = s.readings().all().getFirst();
            assertEquals(1, s.readings().all().size());
            assertArrayEquals(tokens, s.readings().load(kept, MODEL.identity(), DocumentStore.tokensHash(tokens)).tokens(), "reopened, the new reading is there");
        }
    }

    /** The complete reading {@code info} is still the document's, and reads back as written. */
    private static void assertOldReading(DocumentStore s, long doc, long model, CacheInfo info, int[] tokens, float[] cc, String when) {
        CacheInfo complete = s.readings().cache(doc, model, true).orElseThrow(() -> new AssertionError("no complete reading " + when));
        assertEquals(info.id(), complete.id(), "the old reading is the document's " + when);
        SavedState back = s.readings().load(complete, MODEL.identity(), DocumentStore.tokensHash(tokens));
        assertArrayEquals(tokens, back.tokens(), when);
        assertArrayEquals(cc, back.compressed(), when);
        assertArrayEquals(new float[] {5, 6, 7, 8}, back.layers().get(0).wkv(), when);
    }

    @Test
    void sixteenBitCacheCostsTwoBytesANumberPlusTheTokenId() {
        Path db = dir.resolve("f16.sqlite");
        int width = 8, n = 1000;
        float[] cc = new float[n * width];
        for (int i = 0; i < cc.length; i++) cc[i] = (i % 97) / 7f - 5;
        int[] tokens = new int[n];
        try (DocumentStore s = DocumentStore.open(db)) {
            long doc = s.documents().put("h", "d", "", tokens, null);
            long model = s.models().put(MODEL);
            long cache = s.readings().begin(doc, model, MODEL.identity(), DocumentStore.tokensHash(tokens), CachePrecision.F16, width, n);
            s.readings().write(cache, new Readings.SavedRows(0, n, tokens, cc, width), List.of(), 0, true);
            CacheInfo info = s.readings().cache(doc, model, true).orElseThrow();
            assertEquals(4 + 2 * width, info.bytesPerToken(), 1e-9);
            float[] back = s.readings().load(info, MODEL.identity(), DocumentStore.tokensHash(tokens)).compressed();
            for (int i = 0; i < cc.length; i++) assertEquals(cc[i], back[i], Math.abs(cc[i]) * 1e-3 + 1e-6);
        }
    }

    @Test
    void aFileThatIsNotSqliteIsRefusedAndLeftUntouched() throws Exception {
        Path db = dir.resolve("notes.sqlite");
        byte[] content = "these are my notes, not a database\n".repeat(100).getBytes();
        Files.write(db, content);
        EngineException e = assertThrows(EngineException.class, () -> DocumentStore.open(db));
        assertTrue(e.getMessage().contains("not an SQLite file"), e.getMessage());
        assertArrayEquals(content, Files.readAllBytes(db));
        assertTrue(!Files.exists(dir.resolve("notes.sqlite-wal")));
    }

    @Test
    void anotherProgramsDatabaseIsRefusedAndLeftUntouched() throws Exception {
        Path db = dir.resolve("other.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE recipes(name TEXT)");
            s.execute("INSERT INTO recipes VALUES ('bread')");
        }
        byte[] before = Files.readAllBytes(db);
        EngineException e = assertThrows(EngineException.class, () -> DocumentStore.open(db));
        assertTrue(e.getMessage().contains("another program"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(db));
    }

    @Test
    void aStoreFromANewerVersionIsRefusedAndLeftUntouched() throws Exception {
        Path db = dir.resolve("newer.sqlite");
        DocumentStore.open(db).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + (Schema.latestVersion() + 1));
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        byte[] before = Files.readAllBytes(db);
        EngineException e = assertThrows(EngineException.class, () -> DocumentStore.open(db));
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(db));
    }

    @Test
    void anOlderSchemaIsMigrated() throws Exception {
        Path db = dir.resolve("v1.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String sql : Schema.MIGRATIONS.get(0).split(";")) if (!sql.isBlank()) s.execute(sql);
            s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
            s.execute("PRAGMA user_version = 1");
            s.execute("INSERT INTO documents(content_hash, name, text, token_count, tokens, tokens_hash, added_at) VALUES ('h','old','',0,x'','',0)");
        }
        try (DocumentStore s = DocumentStore.open(db)) {
            assertEquals(Schema.latestVersion(), s.schemaVersion());
            assertEquals("old", s.documents().all().get(0).name());
        }
    }

    @Test
    void aTruncatedBlobIsReportedNotMisread() throws Exception {
        Path db = dir.resolve("trunc.sqlite");
        int width = 8, n = 10;
        int[] tokens = new int[n];
        long doc, model;
        try (DocumentStore s = DocumentStore.open(db)) {
            doc = s.documents().put("h", "d", "", tokens, null);
            model = s.models().put(MODEL);
            long cache = s.readings().begin(doc, model, MODEL.identity(), DocumentStore.tokensHash(tokens), CachePrecision.F16, width, n);
            s.readings().write(cache, new Readings.SavedRows(0, n, tokens, new float[n * width], width), List.of(), 0, true);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("UPDATE cache_chunks SET cc = substr(cc, 1, 50)");
        }
        try (DocumentStore s = DocumentStore.open(db)) {
            CacheInfo info = s.readings().cache(doc, model, true).orElseThrow();
            EngineException e = assertThrows(DamagedStoreException.class, () -> s.readings().load(info, MODEL.identity(), DocumentStore.tokensHash(tokens)));
            assertEquals("the saved reading of 'd' is damaged (the rows at position 0 fail their checksum)", e.getMessage());
        }
    }

    @Test
    void aFailedWriteLeavesTheOldState() {
        Path db = dir.resolve("atomic.sqlite");
        int width = 4, n = 10;
        int[] tokens = new int[n];
        try (DocumentStore s = DocumentStore.open(db)) {
            long doc = s.documents().put("h", "d", "", tokens, null);
            long model = s.models().put(MODEL);
            long cache = s.readings().begin(doc, model, MODEL.identity(), DocumentStore.tokensHash(tokens), CachePrecision.F32, width, n);
            s.readings().write(cache, new Readings.SavedRows(0, 4, slice(tokens, 0, 4), new float[4 * width], width), List.of(), 0, false);
            // Completing with rows that do not reach the end fails inside the transaction: nothing of it lands.
            assertThrows(EngineException.class, () -> s.readings().write(cache, new Readings.SavedRows(4, 3, slice(tokens, 4, 7), new float[3 * width], width),
                    List.of(), 0, true));
            CacheInfo partial = s.readings().cache(doc, model, false).orElseThrow();
            assertEquals(4, partial.positions());
            assertEquals(4 * (4 + 4 * width), partial.bytes());
        }
    }

    static int[] slice(int[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }

    static float[] slice(float[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }
}
