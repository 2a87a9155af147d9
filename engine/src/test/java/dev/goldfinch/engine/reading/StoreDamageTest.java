package dev.goldfinch.engine.reading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.Fixtures;
import dev.goldfinch.engine.generate.Generator;
import dev.goldfinch.engine.generate.SamplingOptions;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.DamagedStoreException;
import dev.goldfinch.engine.store.DocumentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A damaged store gives back what was written or says it cannot: every row a reading is made of is checked against
 * the checksum written with it. Damage is made in real SQLite files, by SQL (bits flipped in one kind of row at a
 * time, impossible values) and by flipping random bytes of the file itself.
 */
class StoreDamageTest {
    static final int[] QUESTION = {11, 22, 33};
    static final int ANSWER_TOKENS = 6;

    @TempDir
    Path dir;

    /** A store with two read documents, "Ledger" and "Atlas", and one that was never read, "Notes". */
    private record Library(Path db, long ledger, long atlas, long notes, int[] answer) {
    }

    private Library library(Model model, String name) {
        Path db = dir.resolve(name + ".sqlite");
        int[] tokens = Fixtures.named(model.checkpoint().path().getFileName().toString().replace(".pth", "")).tokens();
        int[] other = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) other[i] = tokens[tokens.length - 1 - i];
        long ledger, atlas, notes;
        int[] answer;
        try (DocumentStore store = DocumentStore.open(db)) {
            ledger = store.documents().put("h-ledger", "Ledger", "the ledger", tokens, null);
            atlas = store.documents().put("h-atlas", "Atlas", "the atlas", other, null);
            notes = store.documents().put("h-notes", "Notes", "the notes", java.util.Arrays.copyOf(tokens, 9), null);
            DocumentReader reader = new DocumentReader(store, model).chunkTokens(16).checkpointEvery(16);
            reader.prefill(ledger, CachePrecision.F16, p -> { }, () -> false);
            reader.prefill(atlas, CachePrecision.F16, p -> { }, () -> false);
            answer = answer(model, reader.open(ledger));
        }
        return new Library(db, ledger, atlas, notes, answer);
    }

    private static int[] answer(Model model, InferenceState document) {
        return new Generator(model).generate(document.copy(), QUESTION, ANSWER_TOKENS, SamplingOptions.greedy(), t -> false, t -> { }, () -> false);
    }

    private static Model model(String fixture) {
        Fixtures.Model m = Fixtures.named(fixture);
        return ModelLoader.load(m.checkpoint(), OptionalDouble.of(m.ropeBase()));
    }

    private static void sql(Path db, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    /** Flips bit {@code bit} of byte {@code at} of a BLOB column in the rows that {@code where} selects. */
    private static void flipBlob(Path db, String table, String column, String where, int at, int bit) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            List<Object[]> rows = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT rowid, " + column + " FROM " + table + " WHERE " + where)) {
                while (rs.next()) rows.add(new Object[] {rs.getLong(1), rs.getBytes(2)});
            }
            assertTrue(!rows.isEmpty(), "no row to damage");
            for (Object[] r : rows) {
                byte[] b = (byte[]) r[1];
                b[at % b.length] ^= (byte) (1 << bit);
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET " + column + " = ? WHERE rowid = ?")) {
                    ps.setBytes(1, b);
                    ps.setLong(2, (Long) r[0]);
                    ps.executeUpdate();
                }
            }
        }
    }

    private static long cacheOf(DocumentStore store, long document) {
        return store.readings().all().stream().filter(c -> c.documentId() == document && c.complete()).findFirst().orElseThrow().id();
    }

    @ParameterizedTest
    @ValueSource(strings = {"goldfinch-tiny", "rwkv7-tiny"})
    void aDamagedStateOrRowIsSaidReadAgainAndTheOtherDocumentKeepsItsReading(String fixture) throws Exception {
        try (Model model = model(fixture)) {
            Library lib = library(model, "state");
            String column = fixture.startsWith("rwkv7") ? "wkv" : "att_shift";
            long atlasCache;
            try (DocumentStore store = DocumentStore.open(lib.db())) {
                atlasCache = cacheOf(store, lib.atlas());
            }
            // four flipped bits in one state blob of the Ledger's reading
            for (int bit = 0; bit < 4; bit++) {
                flipBlob(lib.db(), "cache_states", column, "layer = 0 AND cache_id IN (SELECT id FROM caches WHERE document_id = " + lib.ledger() + ")", 17 + bit, bit);
            }
            try (DocumentStore store = DocumentStore.open(lib.db())) {
                List<String> notices = new ArrayList<>();
                DocumentReader reader = new DocumentReader(store, model).chunkTokens(16).onNotice(notices::add);
                DamagedStoreException e = assertThrows(DamagedStoreException.class, () -> reader.open(lib.ledger()));
                assertEquals("the saved reading of 'Ledger' is damaged (layer 0's state fails its checksum)", e.getMessage());
                InferenceState again = reader.openOrReadAgain(lib.ledger(), CachePrecision.F16, p -> { }, () -> false);
                // both checkpoints' states are flipped (the newest and the spare), so there is nothing to go on from
                assertEquals(List.of(e.getMessage() + "; it will be read again from the start"), notices);
                assertArrayEquals(lib.answer(), answer(model, again), "the answer after reading again is the one before the damage");
                assertEquals(atlasCache, cacheOf(store, lib.atlas()), "the other document's reading is the same row");
                reader.open(lib.atlas());
            }

            // 1,000 bytes of garbage instead of one chunk's rows
            sql(lib.db(), "UPDATE cache_chunks SET cc = randomblob(1000) WHERE cache_id IN (SELECT id FROM caches WHERE document_id = " + lib.ledger() + ")");
            try (DocumentStore store = DocumentStore.open(lib.db())) {
                DocumentReader reader = new DocumentReader(store, model);
                DamagedStoreException e = assertThrows(DamagedStoreException.class, () -> reader.open(lib.ledger()));
                assertTrue(e.getMessage().startsWith("the saved reading of 'Ledger' is damaged (the rows at position 0"), e.getMessage());
                assertArrayEquals(lib.answer(), answer(model, reader.openOrReadAgain(lib.ledger(), CachePrecision.F16, p -> { }, () -> false)));
            }
        }
    }

    @Test
    void flippedTokenIdsOfADocumentAreMendedFromItsReadingWhichIsKept() throws Exception {
        try (Model model = model("goldfinch-tiny")) {
            Library lib = library(model, "tokens");
            long before;
            int[] truth;
            try (DocumentStore store = DocumentStore.open(lib.db())) {
                before = cacheOf(store, lib.ledger());
                truth = store.documents().tokens(lib.ledger());
            }
            flipBlob(lib.db(), "documents", "tokens", "id = " + lib.ledger(), 5, 3);
            flipBlob(lib.db(), "documents", "tokens", "id = " + lib.notes(), 2, 6);
            try (DocumentStore store = DocumentStore.open(lib.db())) {
                assertArrayEquals(truth, store.documents().tokens(lib.ledger()), "mended from the saved reading");
                DocumentReader reader = new DocumentReader(store, model);
                reader.prefill(lib.ledger(), CachePrecision.F16, p -> { }, () -> false);
                assertEquals(before, cacheOf(store, lib.ledger()), "the valid reading was not replaced");
                assertArrayEquals(lib.answer(), answer(model, reader.open(lib.ledger())));
                // Notes was never read: nothing to mend from, so it is reported, and nothing is deleted.
                DamagedStoreException e = assertThrows(DamagedStoreException.class, () -> reader.prefill(lib.notes(), CachePrecision.F16, p -> { }, () -> false));
                assertEquals("the document 'Notes' is damaged in the store (its token ids fail their checksum); add it again", e.getMessage());
                assertEquals(2, store.readings().all().size());
            }
            try (DocumentStore store = DocumentStore.open(lib.db())) {
                assertArrayEquals(truth, store.documents().tokens(lib.ledger()), "the mended ids were written back");
            }
        }
    }

    @Test
    void impossibleValuesAreOneLineThatNameTheDocumentAndListingsGoOn() throws Exception {
        try (Model model = model("goldfinch-tiny")) {
            Library lib = library(model, "values");
            for (String damage : new String[] {
                    "UPDATE caches SET precision = 'F64' WHERE document_id = %d",
                    "UPDATE caches SET positions = -5 WHERE document_id = %d",
                    "DELETE FROM cache_states WHERE layer = 1 AND cache_id IN (SELECT id FROM caches WHERE document_id = %d)"}) {
                Library fresh = library(model, "values-" + Math.abs(damage.hashCode()));
                sql(fresh.db(), String.format(damage, fresh.ledger()));
                try (DocumentStore store = DocumentStore.open(fresh.db())) {
                    List<CacheInfo> all = store.readings().all();
                    assertEquals(2, all.size(), "every cache is still listed");
                    CacheInfo atlas = all.stream().filter(c -> c.documentId() == fresh.atlas()).findFirst().orElseThrow();
                    assertEquals(null, atlas.problem());
                    DocumentReader reader = new DocumentReader(store, model);
                    EngineException e = assertThrows(DamagedStoreException.class, () -> reader.open(fresh.ledger()), damage);
                    assertTrue(e.getMessage().startsWith("the saved reading of 'Ledger' is damaged ("), e.getMessage());
                    assertEquals(1, e.getMessage().lines().count());
                    reader.open(fresh.atlas());
                }
            }
        }
    }

    @Test
    void aDamagedPartialReadingStartsOverAndSaysSo() throws Exception {
        try (Model model = model("rwkv7-tiny"); DocumentStore store = DocumentStore.open(dir.resolve("partial.sqlite"))) {
            int[] tokens = Fixtures.named("rwkv7-tiny").tokens();
            long doc = store.documents().put("h", "Ledger", "", tokens, null);
            DocumentReader reader = new DocumentReader(store, model).chunkTokens(8).checkpointEvery(8);
            int[] calls = {0};
            assertThrows(PrefillCancelledException.class, () -> reader.prefill(doc, CachePrecision.F16, p -> calls[0]++, () -> calls[0] >= 3));
            long partial = store.readings().all().getFirst().id();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store.file()); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE cache_states SET wkv = zeroblob(length(wkv)) WHERE cache_id = " + partial);
            }
            List<String> notices = new ArrayList<>();
            reader.onNotice(notices::add).prefill(doc, CachePrecision.F16, p -> { }, () -> false);
            assertEquals(1, notices.size());
            assertTrue(notices.getFirst().endsWith("; it will be read again from the start"), notices.getFirst());
            float[] ref = Fixtures.named("rwkv7-tiny").logits();
            int v = model.config().vocab();
            float[] last = model.forward(reader.open(doc), new int[] {tokens[tokens.length - 1]}, 0, 1, Model.Logits.LAST);
            assertTrue(last.length == v && Float.isFinite(last[0]) && ref.length > 0);
        }
    }

    @Test
    void aStoreWrittenBeforeChecksumsGetsThemAtTheUpgrade() throws Exception {
        try (Model model = model("goldfinch-tiny")) {
            Library lib = library(model, "upgrade");
            // back to schema 3: no checksums, one set of layer states per cache (the newest) and no position
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lib.db()); Statement s = c.createStatement()) {
                for (String t : new String[] {"documents", "caches", "cache_chunks", "conversations", "messages"}) s.execute("ALTER TABLE " + t + " DROP COLUMN crc");
                s.execute("CREATE TABLE old_states AS SELECT cache_id, layer, att_shift, ffn_shift, wkv FROM cache_states s"
                        + " WHERE position = (SELECT positions FROM caches WHERE id = s.cache_id)");
                s.execute("DROP TABLE cache_states");
                s.execute("CREATE TABLE cache_states(cache_id INTEGER NOT NULL REFERENCES caches(id) ON DELETE CASCADE, layer INTEGER NOT NULL,"
                        + " att_shift BLOB NOT NULL, ffn_shift BLOB NOT NULL, wkv BLOB, PRIMARY KEY(cache_id, layer))");
                s.execute("INSERT INTO cache_states SELECT * FROM old_states");
                s.execute("DROP TABLE old_states");
                s.execute("PRAGMA user_version = 3");
            }
            try (DocumentStore store = DocumentStore.open(lib.db())) {
                assertEquals(7, store.schemaVersion());
                DocumentReader reader = new DocumentReader(store, model);
                assertArrayEquals(lib.answer(), answer(model, reader.open(lib.ledger())));
                assertEquals(List.of(64), store.readings().checkpoints(reader.savedCache(lib.ledger()).orElseThrow()), "the one state it had, at its end");
                assertEquals("the ledger", store.documents().text(lib.ledger()));
            }
        }
    }

    /** The reading of a 64-token document in chunks of 16 keeps its states at its end and at its spare checkpoint, 32. */
    @ParameterizedTest
    @ValueSource(strings = {"goldfinch-tiny", "rwkv7-tiny"})
    void damageAfterTheSpareCheckpointIsReadAgainFromThereOnly(String fixture) throws Exception {
        try (Model model = model(fixture)) {
            Library pristine = library(model, "spare");
            try (DocumentStore store = DocumentStore.open(pristine.db())) {
                assertEquals(List.of(64, 32), store.readings().checkpoints(new DocumentReader(store, model).savedCache(pristine.ledger()).orElseThrow()));
            }
            String ledgerCache = "cache_id IN (SELECT id FROM caches WHERE document_id = " + pristine.ledger() + ")";
            String column = fixture.startsWith("rwkv7") ? "wkv" : "att_shift";
            String rows = model.config().compressedWidth() > 0 ? "cc" : "tokens"; // a recurrent model's rows are token ids alone
            Object[][] damages = {
                    {"cache_chunks", rows, "first_position = 48", 32},
                    {"cache_chunks", "tokens", "first_position = 32", 32},
                    {"cache_states", column, "position = 64 AND layer = 1", 32},
                    {"cache_chunks", rows, "first_position = 16", 0},
                    {"cache_states", column, "position = 32 AND layer = 0", -1}, // the spare: not used, nothing to say
            };
            for (Object[] d : damages) {
                Library lib = library(model, "spare-" + d[0] + d[2].hashCode());
                flipBlob(lib.db(), (String) d[0], (String) d[1], d[2] + " AND " + ledgerCache, 5, 2);
                int from = (Integer) d[3];
                try (DocumentStore store = DocumentStore.open(lib.db())) {
                    List<String> notices = new ArrayList<>();
                    List<Integer> progress = new ArrayList<>();
                    DocumentReader reader = new DocumentReader(store, model).chunkTokens(16).checkpointEvery(16).onNotice(notices::add);
                    InferenceState state = reader.openOrReadAgain(lib.ledger(), CachePrecision.F16, p -> progress.add(p.done()), () -> false);
                    assertArrayEquals(lib.answer(), answer(model, state), d[2] + ": the answer of the reading before the damage");
                    if (from < 0) {
                        assertEquals(List.of(), notices);
                        continue;
                    }
                    assertEquals(1, notices.size(), notices.toString());
                    String where = from == 0 ? "from the start" : "from token " + from + " of 64, its last intact checkpoint";
                    assertTrue(notices.getFirst().startsWith("the saved reading of 'Ledger' is damaged ("), notices.getFirst());
                    assertTrue(notices.getFirst().endsWith("; it will be read again " + where), notices.getFirst());
                    assertEquals(from + 16, progress.getFirst(), d[2] + ": the first chunk read is the one after the checkpoint");
                    assertEquals(2, store.readings().all().size(), "one reading per document, the Atlas's untouched");
                    reader.open(lib.atlas());
                }
            }
        }
    }

    @Test
    void theSpareCheckpointLiesPastHalfWay() throws Exception {
        try (Model model = model("rwkv7-tiny"); DocumentStore store = DocumentStore.open(dir.resolve("spare.sqlite"))) {
            int[] tokens = Fixtures.named("rwkv7-tiny").tokens();
            long doc = store.documents().put("h", "Ledger", "", tokens, null);
            DocumentReader reader = new DocumentReader(store, model).chunkTokens(1).checkpointEvery(1);
            int[] newest = {0};
            // cancelled after every token: at each one, the states kept are the newest and one past half-way
            for (int n = 1; n < tokens.length; n++) {
                int stop = n;
                assertThrows(PrefillCancelledException.class, () -> reader.prefill(doc, CachePrecision.F32, p -> newest[0] = p.done(), () -> newest[0] >= stop));
                CacheInfo partial = store.readings().cache(doc, reader.modelId(), false).orElseThrow();
                List<Integer> kept = store.readings().checkpoints(partial);
                assertEquals(n, kept.getFirst());
                if (n == 1) assertEquals(List.of(1), kept);
                else {
                    assertEquals(2, kept.size(), "at " + n + ": " + kept);
                    assertTrue(2 * kept.get(1) >= n - 1 && kept.get(1) < n, "at " + n + ": " + kept);
                }
            }
        }
    }

    /**
     * Random bytes of the store file flipped, 150 times per model: each run gives the same answer, a clear one-line error, or a
     * reading done again that says so; never another answer in silence, and never the other document's intact reading lost.
     */
    @ParameterizedTest
    @ValueSource(strings = {"goldfinch-tiny", "rwkv7-tiny"})
    void randomBytesFlippedInTheFileNeverGiveAnotherAnswerInSilence(String fixture) throws Exception {
        try (Model model = model(fixture)) {
            Library lib = library(model, "pristine");
            byte[] pristine = Files.readAllBytes(lib.db());
            Random random = new Random(fixture.hashCode());
            int same = 0, readAgain = 0, fromCheckpoint = 0, errors = 0, runs = 150;
            for (int run = 0; run < runs; run++) {
                byte[] damaged = pristine.clone();
                for (int k = 0, n = 1 + random.nextInt(4); k < n; k++) damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
                Path db = dir.resolve("run.sqlite");
                Files.deleteIfExists(db);
                Files.write(db, damaged);
                boolean atlasIntact = intactReading(model, damaged, lib.atlas());
                List<String> notices = new ArrayList<>();
                try (DocumentStore store = DocumentStore.open(db)) {
                    DocumentReader reader = new DocumentReader(store, model).onNotice(notices::add);
                    int[] got = answer(model, reader.openOrReadAgain(lib.ledger(), CachePrecision.F16, p -> { }, () -> false));
                    assertArrayEquals(lib.answer(), got, "run " + run + ": another answer (notices: " + notices + ")");
                    if (notices.isEmpty()) same++;
                    else readAgain++;
                    if (notices.stream().anyMatch(n -> n.endsWith("its last intact checkpoint"))) fromCheckpoint++;
                    if (atlasIntact) assertTrue(store.readings().cache(lib.atlas(), reader.modelId(), true).isPresent(), "run " + run + ": the Atlas's intact reading was lost");
                } catch (EngineException e) {
                    assertEquals(1, String.valueOf(e.getMessage()).lines().count(), "run " + run + ": " + e.getMessage());
                    errors++;
                }
            }
            System.out.printf("%s, %d runs of 1-4 flipped bytes: %d same answer, %d read again and said so (%d of them from a checkpoint), %d clear errors%n",
                    fixture, runs, same, readAgain, fromCheckpoint, errors);
            assertEquals(runs, same + readAgain + errors);
        }
    }

    /** Whether the damaged file still holds the document's complete reading intact (checked in a copy of its own). */
    private boolean intactReading(Model model, byte[] file, long document) throws Exception {
        Path copy = dir.resolve("probe.sqlite");
        Files.deleteIfExists(copy);
        Files.write(copy, file);
        try (DocumentStore store = DocumentStore.open(copy)) {
            DocumentReader reader = new DocumentReader(store, model);
            if (reader.savedCache(document).isEmpty()) return false;
            reader.open(document);
            return true;
        } catch (EngineException e) {
            return false;
        }
    }
}
