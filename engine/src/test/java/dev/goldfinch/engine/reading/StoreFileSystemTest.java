package dev.goldfinch.engine.reading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.Fixtures;
import dev.goldfinch.engine.TestEnvironment;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.DocumentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on a real read-only file system and on a real full one: small tmpfs mounts made for the test (root only;
 * CI runs as root, elsewhere the test is skipped and says why).
 */
class StoreFileSystemTest {
    @TempDir
    Path dir;
    private Path mount;

    private static boolean run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private Path tmpfs(String size) throws Exception {
        mount = Files.createDirectory(dir.resolve("mnt"));
        TestEnvironment.require(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString()),
                "cannot mount a tmpfs here (needs root): the read-only and full-disk cases are not run");
        return mount;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) run("umount", mount.toString());
    }

    private static Model model() {
        return ModelLoader.load(Fixtures.named("goldfinch-tiny").checkpoint(), OptionalDouble.empty());
    }

    @Test
    void aReadOnlyStoreStillAnswersFromItsSavedReadingsAndSaysWhatCannotBeSaved() throws Exception {
        Path db = tmpfs("8m").resolve("library.sqlite");
        int[] tokens = Fixtures.named("goldfinch-tiny").tokens();
        long doc;
        float[] expected;
        try (Model model = model(); DocumentStore store = DocumentStore.open(db)) {
            doc = store.documents().put("h", "Ledger", "the ledger", tokens, null);
            DocumentReader reader = new DocumentReader(store, model);
            reader.prefill(doc, CachePrecision.F16, p -> { }, () -> false);
            expected = model.forward(reader.open(doc), new int[] {5}, 0, 1, Model.Logits.LAST);
        }
        assertTrue(run("mount", "-o", "remount,ro", mount.toString()));
        try (Model model = model(); DocumentStore store = DocumentStore.open(db)) {
            assertTrue(store.readOnly());
            assertEquals(1, store.readings().all().size());
            DocumentReader reader = new DocumentReader(store, model);
            reader.prefill(doc, CachePrecision.F16, p -> { }, () -> false); // already read: nothing to write
            float[] got = model.forward(reader.open(doc), new int[] {5}, 0, 1, Model.Logits.LAST);
            assertEquals(0, Fixtures.maxAbsDiff(got, 0, expected, 0, expected.length));
            EngineException e = assertThrows(EngineException.class, () -> store.documents().put("h2", "Atlas", "", new int[] {1, 2}, null));
            assertTrue(e.getMessage().contains("the store is read-only") && e.getMessage().contains("cannot be saved"), e.getMessage());
        }
    }

    @Test
    void aFullDiskIsSaidAsSuchAndTheReadingResumesOnceThereIsRoom() throws Exception {
        Path db = tmpfs("1200k").resolve("library.sqlite");
        int[] tokens = new Random(1).ints(40_000, 1, 500).toArray();
        try (Model model = model(); DocumentStore store = DocumentStore.open(db)) {
            long doc = store.documents().put("h", "Ledger", "", tokens, null);
            DocumentReader reader = new DocumentReader(store, model).chunkTokens(512).checkpointEvery(2048);
            EngineException e = assertThrows(EngineException.class, () -> reader.prefill(doc, CachePrecision.F32, p -> { }, () -> false));
            assertTrue(e.getMessage().contains("the disk is full (") && e.getMessage().contains("MB free"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
            int kept = store.readings().all().stream().mapToInt(c -> c.positions()).max().orElse(0);
            assertTrue(kept > 0, "checkpoints written before the disk filled are kept: " + store.readings().all() + " " + e.getMessage());

            assertTrue(run("mount", "-o", "remount,size=16m", mount.toString()));
            int[] first = {-1};
            reader.prefill(doc, CachePrecision.F32, p -> { if (first[0] < 0) first[0] = p.done(); }, () -> false);
            assertEquals(kept + 512, first[0], "resumed from the last checkpoint");
            assertTrue(reader.savedCache(doc).orElseThrow().complete());
            assertEquals(List.of(tokens.length), store.readings().all().stream().map(c -> c.positions()).toList());
        }
    }
}
