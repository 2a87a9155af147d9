package dev.goldfinch.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kernel of MatMul (one token, small batch, the tiled batch with several slabs and chunks, both register tiles,
 * odd sizes) against a float64 reference, with bf16 and f32 weights, on one and two threads.
 */
class MatMulTest {
    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @ParameterizedTest(name = "out {0} in {1} rows {2} {3} threads {4}")
    @CsvSource({
            "64, 64, 1, BF16, 2", "67, 131, 1, F32, 2", "5, 300, 1, BF16, 1", "1000, 768, 1, BF16, 2",
            "64, 96, 3, BF16, 2", "70, 130, 7, F32, 2",
            "6, 8, 8, BF16, 1", "7, 9, 8, F32, 2", "67, 131, 17, BF16, 2", "130, 64, 40, F32, 2", "200, 33, 64, BF16, 2",
            "150, 5000, 40, BF16, 2", "96, 2100, 300, F32, 2", "600, 256, 100, BF16, 1", "130, 70, 33, BF16, 2", "12, 40, 64, F32, 1",
    })
    void matchesFloat64Reference(int out, int in, int rows, DType dtype, int threads) {
        Parallel.setThreads(threads);
        SplittableRandom rnd = new SplittableRandom(out * 31L + in * 7L + rows);
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) {
            float v = (float) (rnd.nextDouble() * 2 - 1);
            w[i] = dtype == DType.BF16 ? Float.intBitsToFloat(Float.floatToRawIntBits(v) & 0xffff0000) : v;
        }
        float[] x = new float[rows * in];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        try (Arena arena = Arena.ofShared()) { // shared: the worker threads read it
            Tensor t = tensor(arena, w, out, in, dtype);
            float[] y = new float[rows * out];
            MatMul.matmul(t, x, rows, y);
            check(w, x, y, out, in, rows);
            // The same call again gives the same floats (no state leaks between calls or threads).
            float[] again = new float[rows * out];
            MatMul.matmul(t, x, rows, again);
            assertArrayEquals(y, again);
            // Both register tiles, whichever this CPU uses: 6 rows (16 vector registers) and 12 (32), then the narrow
            // blocks and single rows of what is left. Each output is the same FMA chain over k in either tile.
            for (int tileRows : new int[] {MatMul.ROWS, MatMul.WIDE_ROWS}) {
                float[] tiled = new float[rows * out];
                MatMul.matmul(t, x, rows, tiled, tileRows);
                check(w, x, tiled, out, in, rows);
                if (rows >= MatMul.MIN_BATCH) assertArrayEquals(y, tiled, "tile of " + tileRows + " rows");
            }
        }
    }

    private static void check(float[] w, float[] x, float[] y, int out, int in, int rows) {
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double ref = 0, mag = 0;
                for (int k = 0; k < in; k++) {
                    ref += (double) w[o * in + k] * x[r * in + k];
                    mag += Math.abs((double) w[o * in + k] * x[r * in + k]);
                }
                double err = Math.abs(y[r * out + o] - ref);
                // float32 rounding grows like √in; a wrong or missing term costs about mag / in
                assertTrue(err <= 10 * Math.sqrt(in) * 0x1p-24 * mag + 1e-6, "row " + r + " out " + o + ": " + y[r * out + o] + " vs " + ref);
            }
        }
    }

    private static Tensor tensor(Arena arena, float[] w, int out, int in, DType dtype) {
        MemorySegment seg = arena.allocate((long) w.length * dtype.bytes, 64);
        for (int i = 0; i < w.length; i++) {
            if (dtype == DType.BF16) {
                seg.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i, (short) (Float.floatToRawIntBits(w[i]) >>> 16));
            } else {
                seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i, w[i]);
            }
        }
        return new Tensor("w", dtype, new long[] {out, in}, seg);
    }
}
