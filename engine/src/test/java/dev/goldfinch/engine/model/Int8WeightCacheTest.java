package dev.goldfinch.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.Fixtures;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk int8 weights: reused when valid; a damaged or stale file is detected, rebuilt and never used. */
class Int8WeightCacheTest {
    @TempDir
    Path dir;

    private String previousCacheFolder;

    @org.junit.jupiter.api.BeforeEach
    void useTemporaryCacheFolder() {
        previousCacheFolder = System.setProperty("goldfinch.cache.dir", dir.resolve("cache").toString());
    }

    @org.junit.jupiter.api.AfterEach
    void restoreCacheFolder() {
        if (previousCacheFolder == null) System.clearProperty("goldfinch.cache.dir");
        else System.setProperty("goldfinch.cache.dir", previousCacheFolder);
    }

    Path cacheFileOf(Path ckpt) {
        try (dev.goldfinch.engine.checkpoint.Checkpoint c = dev.goldfinch.engine.checkpoint.Checkpoint.open(ckpt)) {
            return Int8WeightCache.fileFor(c);
        }
    }

    float[] logits(Path ckpt, int[] ids, int[] quantized) {
        try (Model m = ModelLoader.load(ckpt, OptionalDouble.empty(), WeightFormat.INT8)) {
            quantized[0] = m.quantizedAtLoad();
            return m.forward(m.newState(), ids, 0, ids.length, Model.Logits.ALL);
        }
    }

    @Test
    void cacheIsReusedAndADamagedOrStaleOneIsRebuilt() throws Exception {
        Path ckpt = dir.resolve("model.pth");
        Files.copy(Fixtures.reference().resolve("goldfinch-tiny.pth"), ckpt);
        Path cache = cacheFileOf(ckpt);
        int[] ids = Fixtures.models().stream().filter(f -> f.name().equals("goldfinch-tiny")).findFirst().orElseThrow().tokens();
        int[] q = new int[1];

        float[] first = logits(ckpt, ids, q);
        assertTrue(q[0] > 0, "first load quantizes");
        assertTrue(Files.size(cache) > 0, "and writes the cache");
        byte[] written = Files.readAllBytes(cache);

        float[] again = logits(ckpt, ids, q);
        assertEquals(0, q[0], "a valid cache is used as is");
        assertArrayEquals(first, again);

        try (RandomAccessFile f = new RandomAccessFile(cache.toFile(), "rw")) {
            long at = f.length() - 100;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5a);
        }
        float[] afterDamage = logits(ckpt, ids, q);
        assertTrue(q[0] > 0, "a damaged cache is detected and rebuilt");
        assertArrayEquals(first, afterDamage, "and never used");

        // A cache made from another checkpoint (stale) is refused the same way.
        Path other = dir.resolve("other.pth");
        Files.copy(Fixtures.reference().resolve("goldfinch-upgrade-tiny.pth"), other);
        logits(other, ids, q);
        Files.copy(cacheFileOf(other), cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        float[] afterStale = logits(ckpt, ids, q);
        assertTrue(q[0] > 0, "a stale cache is detected and rebuilt");
        assertArrayEquals(first, afterStale);
        byte[] rebuilt = Files.readAllBytes(cache);
        assertArrayEquals(written, rebuilt, "the rebuilt cache is the one the first load wrote");
        float[] fromRebuilt = logits(ckpt, ids, q);
        assertEquals(0, fromRebuilt.length - first.length);
        assertEquals(0, q[0], "the rebuilt cache is valid again");
        assertArrayEquals(first, fromRebuilt, "and the model loaded from it computes what the first load did, bit for bit");
        assertArrayEquals(rebuilt, Files.readAllBytes(cache), "a valid cache is read, not written again");
    }
}
