package dev.goldfinch.engine.reading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.Fixtures;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
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

/** A real separate process pre-filling into a store is killed (SIGKILL) midway: the store opens and the pre-fill resumes. */
class KilledPrefillTest {
    static final int LENGTH = 20_000;

    @TempDir
    Path dir;

    @Test
    void killedPrefillLeavesAStoreThatOpensAndResumes() throws Exception {
        Path db = dir.resolve("killed.sqlite");
        Path checkpoint = Fixtures.reference().resolve("goldfinch-tiny.pth");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(javaBin, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                PrefillProcessMain.class.getName(), db.toString(), checkpoint.toString(), Integer.toString(LENGTH)))
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
            reader.prefill(doc, CachePrecision.F16, p -> { if (firstProgress[0] < 0) firstProgress[0] = p.done(); }, () -> false);
            assertEquals(partial.positions() + 32, firstProgress[0], "resumed from the last checkpoint");

            // The resumed cache answers like a pre-fill that was never interrupted.
            InferenceState resumed = reader.open(doc);
            assertEquals(0, resumed.recurrentSteps());
            int[] next = {5, 6, 7};
            float[] got = model.forward(resumed, next, 0, next.length, Model.Logits.ALL);
            int[] tokens = PrefillProcessMain.document(LENGTH, model.config().vocab());
            float[] expect;
            try (DocumentStore clean = DocumentStore.open(dir.resolve("clean.sqlite"))) {
                long cleanDoc = clean.documents().put("long", "long", "", tokens, null);
                DocumentReader uninterrupted = new DocumentReader(clean, model).chunkTokens(32).checkpointEvery(256);
                uninterrupted.prefill(cleanDoc, CachePrecision.F16, p -> { }, () -> false);
                expect = model.forward(uninterrupted.open(cleanDoc), next, 0, next.length, Model.Logits.ALL);
            }
            float err = Fixtures.maxAbsDiff(got, 0, expect, 0, expect.length);
            assertTrue(err <= 2e-3f, "resumed cache vs uninterrupted run: max abs error " + err);
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
