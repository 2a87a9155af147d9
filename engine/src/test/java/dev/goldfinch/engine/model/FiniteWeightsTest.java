package dev.goldfinch.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.Fixtures;
import dev.goldfinch.engine.checkpoint.Checkpoint;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tensor.Tensor;
import java.io.RandomAccessFile;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint with one NaN or infinite weight is refused at load, naming the tensor, in bf16 and in f32, whatever the
 * weight format; a clean one is scanned once per version of its file; an int8 cache with a non-finite scale is not
 * used. Every damaged file is a copy of a fixture with one value changed.
 */
class FiniteWeightsTest {
    @TempDir
    Path dir;

    private String previousCacheFolder;

    @BeforeEach
    void useTemporaryCacheFolder() {
        previousCacheFolder = System.setProperty("goldfinch.cache.dir", dir.resolve("cache").toString());
    }

    @AfterEach
    void restoreCacheFolder() {
        if (previousCacheFolder == null) System.clearProperty("goldfinch.cache.dir");
        else System.setProperty("goldfinch.cache.dir", previousCacheFolder);
    }

    /** A writable copy (the fixtures are read-only). */
    Path copyOf(Path fixture, String name) throws Exception {
        Path copy = Files.copy(fixture, dir.resolve(name));
        assertTrue(copy.toFile().setWritable(true));
        return copy;
    }

    /** A tensor of the fixture: the {@code which}-th of those of this dtype with random values (large enough). */
    record Target(String name, DType dtype, long fileOffset) {
    }

    static Target target(Path checkpoint, DType dtype, int which) throws Exception {
        byte[] file = Files.readAllBytes(checkpoint);
        try (Checkpoint c = Checkpoint.open(checkpoint)) {
            int seen = 0;
            for (Tensor t : c.tensors().values()) {
                if (t.dtype() != dtype || t.elements() < 4096) continue;
                long at = find(file, t.data().toArray(ValueLayout.JAVA_BYTE));
                if (at >= 0 && seen++ == which) return new Target(t.name(), dtype, at);
            }
        }
        throw new AssertionError("no " + dtype + " tensor #" + which + " in " + checkpoint);
    }

    /** Where {@code data} lies in {@code file}, if it lies there once only. */
    static long find(byte[] file, byte[] data) {
        long found = -1;
        outer:
        for (int i = 0; i + data.length <= file.length; i++) {
            for (int j = 0; j < data.length; j++) if (file[i + j] != data[j]) continue outer;
            if (found >= 0) return -1;
            found = i;
        }
        return found;
    }

    /** Writes {@code value} over element {@code index} of the target, in place. */
    static void poke(Path file, Target t, long index, float value) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(t.dtype().bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == DType.F32) b.putFloat(value);
        else b.putShort((short) (Float.floatToRawIntBits(value) >>> 16)); // bf16: the top half of the float
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(t.fileOffset() + index * t.dtype().bytes);
            f.write(b.array());
        }
    }

    static String refusal(Path checkpoint, WeightFormat format) {
        return assertThrows(EngineException.class, () -> ModelLoader.load(checkpoint, OptionalDouble.empty(), format).close()).getMessage();
    }

    static String expected(Path file, String tensor, String value, long index, long elements) {
        return "checkpoint " + file + ": tensor '" + tensor + "' holds " + value + " (element " + index + " of " + elements
                + "): the weights are damaged, and a model with them can only answer nonsense";
    }

    @Test
    void aNanOrAnInfinityInABf16OrF32TensorIsRefusedNamingTheTensor() throws Exception {
        record Case(String fixture, DType dtype, int which, float value, String shown) {
        }
        List<Case> cases = List.of(new Case("goldfinch-tiny-bf16", DType.BF16, 0, Float.NaN, "NaN"),
                new Case("goldfinch-tiny-bf16", DType.BF16, 3, Float.POSITIVE_INFINITY, "+Inf"),
                new Case("goldfinch-tiny", DType.F32, 1, Float.NaN, "NaN"),
                new Case("goldfinch-tiny", DType.F32, 4, Float.NEGATIVE_INFINITY, "-Inf"),
                new Case("rwkv7-tiny-bf16", DType.BF16, 2, Float.POSITIVE_INFINITY, "+Inf"));
        int n = 0;
        for (Case c : cases) {
            Fixtures.Model fixture = Fixtures.named(c.fixture());
            Path copy = copyOf(fixture.checkpoint(), "damaged-" + n++ + ".pth");
            Target t = target(copy, c.dtype(), c.which());
            long elements;
            try (Checkpoint ck = Checkpoint.open(copy)) {
                elements = ck.get(t.name()).elements();
            }
            long index = elements / 2 + 3;
            poke(copy, t, index, c.value());
            for (WeightFormat format : WeightFormat.values()) {
                assertEquals(expected(copy, t.name(), c.shown(), index, elements), refusal(copy, format), c + " " + format);
            }
        }
    }

    @Test
    void aCleanCheckpointIsScannedOncePerVersionOfItsFile() throws Exception {
        Path copy = copyOf(Fixtures.named("goldfinch-tiny").checkpoint(), "clean.pth");
        try (Checkpoint c = Checkpoint.open(copy)) {
            assertTrue(FiniteWeights.require(c), "the first load scans");
        }
        try (Checkpoint c = Checkpoint.open(copy)) {
            assertFalse(FiniteWeights.require(c), "the same file again: remembered");
        }
        // Changed in place, in the middle: same size, same identity (it samples the first and last MiB only).
        Target t = null;
        for (int which = 0; t == null || t.fileOffset() < 1 << 20; which++) t = target(copy, DType.F32, which);
        assertTrue(t.fileOffset() + (1 << 20) < Files.size(copy) - (1 << 20), "a tensor in the middle: " + t);
        String identity;
        try (Checkpoint c = Checkpoint.open(copy)) {
            identity = c.identity();
        }
        Thread.sleep(50); // a later modification time than the copy's
        poke(copy, t, 7, Float.NaN);
        try (Checkpoint c = Checkpoint.open(copy)) {
            assertEquals(identity, c.identity());
            assertTrue(assertThrows(EngineException.class, () -> FiniteWeights.require(c)).getMessage().contains("'" + t.name() + "' holds NaN"));
        }
    }

    @Test
    void anInt8CacheWithANonFiniteScaleIsNotUsed() throws Exception {
        Fixtures.Model fixture = Fixtures.named("goldfinch-tiny-bf16");
        Path copy = copyOf(fixture.checkpoint(), "int8.pth");
        int[] ids = fixture.tokens();
        float[] clean;
        Path cache;
        try (Model m = ModelLoader.load(copy, OptionalDouble.empty(), WeightFormat.INT8)) {
            assertTrue(m.quantizedAtLoad() > 0);
            clean = m.forward(m.newState(), ids, 0, ids.length, Model.Logits.ALL);
            cache = Int8WeightCache.fileFor(m.checkpoint());
        }
        String matrix = damageFirstScale(cache);

        List<String> warnings = new ArrayList<>();
        Logger log = Logger.getLogger(Int8WeightCache.class.getName());
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                warnings.add(java.text.MessageFormat.format(r.getMessage(), r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(h);
        try (Model m = ModelLoader.load(copy, OptionalDouble.empty(), WeightFormat.INT8)) {
            assertTrue(m.quantizedAtLoad() > 0, "the damaged cache was rebuilt");
            assertArrayEquals(clean, m.forward(m.newState(), ids, 0, ids.length, Model.Logits.ALL), "and never used");
        } finally {
            log.removeHandler(h);
        }
        assertTrue(warnings.stream().anyMatch(w -> w.contains("matrix '" + matrix + "' has a non-finite scale (block 0)")), warnings.toString());
        try (Model m = ModelLoader.load(copy, OptionalDouble.empty(), WeightFormat.INT8)) {
            assertEquals(0, m.quantizedAtLoad(), "the rebuilt cache is valid");
        }
    }

    /**
     * Writes NaN over the first scale of the cache's first matrix and puts the checksum right, as a writer that
     * quantized a NaN would have: the layout is Int8WeightCache's (magic, version, identity, count, CRC32C, index).
     */
    static String damageFirstScale(Path cache) throws Exception {
        byte[] bytes = Files.readAllBytes(cache);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.position(8);
        int identity = b.getInt();
        b.position(b.position() + identity);
        b.getInt(); // matrix count
        int crcAt = b.position();
        b.getInt();
        byte[] name = new byte[b.getInt()];
        b.get(name);
        b.getInt();
        b.getInt();
        b.getInt(); // out, in, block
        b.getLong(); // values
        int scales = (int) b.getLong();
        b.putFloat(scales, Float.NaN);
        CRC32C crc = new CRC32C();
        crc.update(bytes, crcAt + 4, bytes.length - crcAt - 4);
        b.putInt(crcAt, (int) crc.getValue());
        Files.write(cache, bytes);
        return new String(name, StandardCharsets.UTF_8);
    }
}
