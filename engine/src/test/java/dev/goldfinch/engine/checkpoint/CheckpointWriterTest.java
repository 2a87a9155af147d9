package dev.goldfinch.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What CheckpointWriter writes is a torch checkpoint that Checkpoint.open reads back, value for value. */
class CheckpointWriterTest {
    @TempDir
    Path dir;

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) Math.sin(i * 0.37) * (1 + i % 7);
        return v;
    }

    @ParameterizedTest(name = "zip64 threshold {0}")
    @ValueSource(longs = {0xffffffffL, 0})
    void roundTripsEveryDtypeAligned(long zip64Threshold) throws IOException {
        Path file = dir.resolve("model.pth");
        float[] a = ramp(6 * 70), b = ramp(3 * 5 * 7), c = ramp(200_000);
        try (CheckpointWriter w = CheckpointWriter.create(file, "model", zip64Threshold)) {
            w.add("a.weight", DType.F32, new long[] {6, 70}, a);
            w.add("b", DType.BF16, new long[] {3, 5, 7}, b);
            w.add("c", DType.F16, new long[] {200_000}, c);
            w.add("s", DType.F32, new long[] {1, 1, 1, 1}, new float[] {42});
        }
        try (Checkpoint ck = Checkpoint.open(file)) {
            assertEquals(List.of("a.weight", "b", "c", "s"), new ArrayList<>(ck.tensors().keySet()));
            Tensor ta = ck.get("a.weight");
            assertEquals(DType.F32, ta.dtype());
            assertArrayEquals(new long[] {6, 70}, ta.shape());
            assertArrayEquals(a, ta.toFloats());
            Tensor tb = ck.get("b");
            assertEquals(DType.BF16, tb.dtype());
            float[] gotB = tb.toFloats();
            for (int i = 0; i < b.length; i++) {
                float want = Float.intBitsToFloat(CheckpointWriter.toBf16(b[i]) << 16);
                assertEquals(want, gotB[i]);
                assertTrue(Math.abs(gotB[i] - b[i]) <= Math.abs(b[i]) / 256, "bf16 rounding of " + b[i]);
            }
            float[] gotC = ck.get("c").toFloats();
            for (int i = 0; i < c.length; i += 997) assertEquals(Float.float16ToFloat(Float.floatToFloat16(c[i])), gotC[i]);
            assertEquals(42f, ck.get("s").get(0));
            for (Tensor t : ck.tensors().values()) {
                // the mapping is page-aligned, so an aligned address is an aligned offset in the file
                assertEquals(0, t.data().address() % 64, t.name() + " is not 64-byte aligned");
            }
        }
        // Any ZIP reader accepts it, and the CRCs are right (ZipInputStream checks them for stored entries).
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                names.add(e.getName());
                assertEquals(ZipEntry.STORED, e.getMethod());
                zip.readAllBytes();
            }
        }
        assertTrue(names.containsAll(List.of("model/data.pkl", "model/version", "model/data/0", "model/data/3")), names.toString());
    }

    @Test
    void roundingToBf16IsToNearestEven() {
        assertEquals((short) 0x3f80, CheckpointWriter.toBf16(1f));
        assertEquals((short) 0x3f80, CheckpointWriter.toBf16(Float.intBitsToFloat(0x3f808000))); // tie, even stays
        assertEquals((short) 0x3f82, CheckpointWriter.toBf16(Float.intBitsToFloat(0x3f818000))); // tie, odd rounds up
        assertEquals((short) 0x3f81, CheckpointWriter.toBf16(Float.intBitsToFloat(0x3f808001)));
        assertTrue(Float.isNaN(Float.intBitsToFloat(CheckpointWriter.toBf16(Float.NaN) << 16)));
    }

    @Test
    void streamsValuesInBlocks() throws IOException {
        Path file = dir.resolve("big.pth");
        int n = 300_000; // several writer blocks
        try (CheckpointWriter w = CheckpointWriter.create(file)) {
            w.add("x", DType.F32, new long[] {n}, (offset, dst, count) -> {
                for (int i = 0; i < count; i++) dst[i] = offset + i;
            });
        }
        try (Checkpoint ck = Checkpoint.open(file)) {
            Tensor x = ck.get("x");
            for (int i = 0; i < n; i += 1231) assertEquals((float) i, x.get(i));
            assertEquals((float) (n - 1), x.get(n - 1));
        }
    }
}
