package dev.goldfinch.engine.reading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.Fixtures;
import dev.goldfinch.engine.kernel.Vectors;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.SavedState;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.DocumentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real separate process pre-filling into a store is killed (SIGKILL) midway: the store opens, the pre-fill resumes,
 * and the reading it makes is the one an uninterrupted pre-fill makes, bit for bit. The cache is f32 for that: at f16
 * the attention layers' last shift states differ by the rounding of cc_t (DocumentReaderTest says why).
 */
class KilledPrefillTest {
    static final int LENGTH = 20_000;

    @TempDir
    Path dir;

    @Test
    void killedPrefillLeavesAStoreThatOpensAndResumes() throws Exception {
        Path db = dir.resolve("killed.sqlite");
        Path checkpoint = Fixtures.reference().resolve("goldfinch-tiny.pth");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The child computes at this JVM's vector width, so that its sums are rounded as this JVM's are.
        String width = "-D" + Vectors.PROPERTY + "=" + Vectors.FLOAT.vectorBitSize();
        Process child = new ProcessBuilder(List.of(javaBin, "--add-modules", "jdk.incubator.vector", width, "-cp", System.getProperty("java.class.path"),
                PrefillProcessMain.class.getName(), db.toString(), checkpoint.toString(), Integer.toString(LENGTH), "f32"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        int savedWhenKilled = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && child.isAlive()) {
            int saved = partialPositions(db);
            if (saved >= 1024) {
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no chance to tidy up
                child.waitFor();
                savedWhenKilled = saved;
                break;
            }
            Thread.sleep(10);
        }
        assertTrue(savedWhenKilled > 0, "the child process was killed after a checkpoint (log: " + Files.readString(dir.resolve("child.log")) + ")");

        try (Model model = ModelLoader.load(checkpoint, OptionalDouble.empty()); DocumentStore store = DocumentStore.open(db)) {
            long doc = store.documents().byHash("long").orElseThrow().id();
            DocumentReader reader = new DocumentReader(store, model).chunkTokens(32).checkpointEvery(256);
            CacheInfo partial = store.readings().cache(doc, reader.modelId(), false).orElseThrow();
            assertTrue(partial.positions() >= savedWhenKilled && partial.positions() < LENGTH, "partial cache at " + partial.positions());
            int[] firstProgress = {-1};
            reader.prefill(doc, CachePrecision.F32, p -> { if (firstProgress[0] < 0) firstProgress[0] = p.done(); }, () -> false);
            assertEquals(partial.positions() + 32, firstProgress[0], "resumed from the last checkpoint");

            // The resumed cache is the one a pre-fill that was never interrupted makes, and answers as it does.
            CacheInfo done = reader.savedCache(doc).orElseThrow();
            SavedState resumedReading = store.readings().load(done, done.modelIdentity(), done.tokensHash());
            InferenceState resumed = reader.open(doc);
            assertEquals(0, resumed.recurrentSteps());
            int[] next = {5, 6, 7};
            float[] got = model.forward(resumed, next, 0, next.length, Model.Logits.ALL);
            int[] tokens = PrefillProcessMain.document(LENGTH, model.config().vocab());
            float[] expect;
            SavedState cleanReading;
            try (DocumentStore clean = DocumentStore.open(dir.resolve("clean.sqlite"))) {
                long cleanDoc = clean.documents().put("long", "long", "", tokens, null);
                DocumentReader uninterrupted = new DocumentReader(clean, model).chunkTokens(32).checkpointEvery(256);
                CacheInfo cleanInfo = uninterrupted.prefill(cleanDoc, CachePrecision.F32, p -> { }, () -> false);
                cleanReading = clean.readings().load(cleanInfo, cleanInfo.modelIdentity(), cleanInfo.tokensHash());
                expect = model.forward(uninterrupted.open(cleanDoc), next, 0, next.length, Model.Logits.ALL);
            }
            float err = Fixtures.maxAbsDiff(got, 0, expect, 0, expect.length);
            assertTrue(err <= 2e-3f, "resumed cache vs uninterrupted run: max abs error " + err);
            assertArrayEquals(cleanReading.tokens(), resumedReading.tokens(), "token ids");
            assertArrayEquals(cleanReading.compressed(), resumedReading.compressed(), "cc_t");
            assertEquals(cleanReading.layers().size(), resumedReading.layers().size());
            for (int i = 0; i < cleanReading.layers().size(); i++) {
                SavedState.Layer a = cleanReading.layers().get(i), b = resumedReading.layers().get(i);
                assertArrayEquals(a.attShift(), b.attShift(), "layer " + i + "'s shift state");
                assertArrayEquals(a.ffnShift(), b.ffnShift(), "layer " + i + "'s channel-mix shift state");
                assertArrayEquals(a.wkv(), b.wkv(), "layer " + i + "'s WKV state");
            }
            assertArrayEquals(expect, got, "the resumed reading answers as the uninterrupted one, bit for bit");
        }
    }

    private static int partialPositions(Path db) {
        if (!db.toFile().exists()) return -1;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 1000");
            try (ResultSet rs = s.executeQuery("SELECT positions FROM caches WHERE complete = 0")) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        } catch (Exception e) {
            return -1; // not created yet
        }
    }
}
