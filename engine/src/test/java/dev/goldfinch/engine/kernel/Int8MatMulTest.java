package dev.goldfinch.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Int8MatMul against a float64 product of the dequantized weights: the one-token kernel (four-row groups, rows left
 * over, blocks of 64 and 32, rows too odd for it), small batches and the tiled batch kernel, on one and two threads.
 */
class Int8MatMulTest {
    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @ParameterizedTest(name = "out {0} in {1} rows {2} threads {3}")
    @CsvSource({
            "1, 64, 1, 1", "3, 128, 1, 2", "4, 64, 1, 1", "7, 96, 1, 2", "64, 64, 1, 2", "1001, 768, 1, 2", "513, 2048, 1, 1",
            "37, 100, 1, 2", "9, 5, 1, 1",
            "64, 96, 3, 2", "70, 128, 17, 2", "5, 100, 4, 1",
            // the tiled batch kernel: several slabs and chunks, blocks of 64 and 32, whole-row blocks, rows left over
            "6, 64, 16, 1", "67, 131, 17, 2", "200, 96, 64, 2", "96, 2112, 300, 2", "600, 256, 100, 1", "150, 5000, 40, 2",
    })
    void matchesFloat64ProductOfTheDequantizedWeights(int out, int in, int rows, int threads) {
        Parallel.setThreads(threads);
        SplittableRandom rnd = new SplittableRandom(out * 31L + in * 7L + rows);
        float[] x = new float[rows * in];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        try (Arena arena = Arena.ofShared()) {
            Int8Matrix m = Int8Matrix.quantize(randomMatrix(arena, out, in, rnd), arena);
            float[] row = new float[in];
            float[] y = new float[rows * out];
            Int8MatMul.matmul(m, x, rows, y);
            for (int o = 0; o < out; o++) {
                m.dequantizeRow(o, row);
                for (int r = 0; r < rows; r++) {
                    double ref = 0, mag = 0;
                    for (int k = 0; k < in; k++) {
                        ref += (double) row[k] * x[r * in + k];
                        mag += Math.abs((double) row[k] * x[r * in + k]);
                    }
                    double err = Math.abs(y[r * out + o] - ref);
                    // float32 rounding grows like √in; a wrong, missing or misplaced term costs about mag / in
                    assertTrue(err <= 10 * Math.sqrt(in) * 0x1p-24 * mag + 1e-6, "row " + r + " out " + o + ": " + y[r * out + o] + " vs " + ref);
                }
            }
            float[] again = new float[rows * out];
            Int8MatMul.matmul(m, x, rows, again);
            assertArrayEquals(y, again);
        }
    }

    /** A row's result does not depend on which group of four, or which thread, computed it. */
    @Test
    void oneTokenResultsDoNotDependOnTheSplit() {
        int in = 256;
        SplittableRandom rnd = new SplittableRandom(9);
        float[] x = new float[in];
        for (int i = 0; i < in; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        try (Arena arena = Arena.ofShared()) {
            Int8Matrix m = Int8Matrix.quantize(randomMatrix(arena, 203, in, rnd), arena);
            float[] all = new float[203];
            Int8MatMul.matmul(m, x, 1, all);
            float[] xi = Int8MatMul.interleave(x, in);
            for (int o = 0; o < 203; o++) assertEquals(all[o], Int8MatMul.dot(m, o, xi), "row " + o);
        }
    }

    /** Any window of rows and columns, block edges inside it or not, reads back as code × its block's scale. */
    @ParameterizedTest(name = "in {0}")
    @CsvSource({"64", "96", "131", "2112"})
    void widenedWindowsAreTheCodesTimesTheirBlockScales(int in) {
        SplittableRandom rnd = new SplittableRandom(in);
        try (Arena arena = Arena.ofConfined()) {
            Int8Matrix m = Int8Matrix.quantize(randomMatrix(arena, 9, in, rnd), arena);
            for (int trial = 0; trial < 50; trial++) {
                int o = rnd.nextInt(9), count = 1 + rnd.nextInt(9 - o), k0 = rnd.nextInt(in), kn = 1 + rnd.nextInt(in - k0);
                float[] dst = new float[count * kn];
                m.widen(o, count, k0, kn, dst);
                for (int r = 0; r < count; r++) {
                    for (int k = k0; k < k0 + kn; k++) {
                        byte q = m.values().get(ValueLayout.JAVA_BYTE, (long) (o + r) * in + k);
                        assertEquals(q * m.scale(o + r, k / m.block()), dst[r * kn + k - k0], "row " + (o + r) + " column " + k);
                    }
                }
            }
        }
    }

    @Test
    void interleavingPutsInputFourJPlusKAtLaneJOfVectorK() {
        int lanes = Int8MatMul.STEP / 4;
        float[] x = new float[2 * Int8MatMul.STEP];
        for (int i = 0; i < x.length; i++) x[i] = i;
        float[] xi = Int8MatMul.interleave(x, x.length);
        for (int s = 0; s < x.length; s += Int8MatMul.STEP) {
            for (int k = 0; k < 4; k++) {
                for (int j = 0; j < lanes; j++) assertEquals(s + 4 * j + k, xi[s + k * lanes + j]);
            }
        }
    }

    private static Tensor randomMatrix(Arena arena, int out, int in, SplittableRandom rnd) {
        MemorySegment seg = arena.allocate((long) out * in * 4, 64);
        for (long i = 0; i < (long) out * in; i++) {
            // some large values, so that blocks get different scales and the extreme codes ±127 occur
            double v = rnd.nextDouble() * 2 - 1;
            if (rnd.nextInt(50) == 0) v *= 8;
            seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i, (float) v);
        }
        return new Tensor("w", DType.F32, new long[] {out, in}, seg);
    }
}
