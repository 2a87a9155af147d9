package dev.goldfinch.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * LoraMatMul against a float64 reference: outputs that fill whole panels and ones that do not (padding), every
 * leftover of the six-token tile, one and two threads; and the promise its callers rely on, that an output is the
 * same float whichever rows it is computed with.
 */
class LoraMatMulTest {
    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @ParameterizedTest(name = "in {0} out {1} rows {2} threads {3}")
    @CsvSource({
            "768, 64, 1, 2", "32, 768, 1, 2", "64, 160, 1, 1", "5, 3, 1, 2", "131, 67, 1, 2",
            "768, 64, 6, 2", "32, 768, 7, 2", "64, 160, 11, 1", "768, 64, 1024, 2", "32, 768, 1000, 2",
            "5, 3, 13, 2", "131, 67, 40, 2", "2048, 96, 50, 2", "96, 2048, 50, 1", "8, 24, 17, 2",
    })
    void matchesFloat64Reference(int in, int out, int rows, int threads) {
        Parallel.setThreads(threads);
        SplittableRandom rnd = new SplittableRandom(in * 31L + out * 7L + rows);
        float[] w = random(rnd, in * out);
        float[] x = random(rnd, rows * in);
        float[] packed = LoraMatMul.pack(w, 0, in, out);
        float[] y = new float[rows * out + 5];
        Arrays.fill(y, rows * out, y.length, 42f);
        LoraMatMul.matmul(packed, in, out, x, rows, y);
        for (int t = 0; t < rows; t++) {
            for (int o = 0; o < out; o++) {
                double ref = 0, mag = 0;
                for (int k = 0; k < in; k++) {
                    ref += (double) x[t * in + k] * w[k * out + o];
                    mag += Math.abs((double) x[t * in + k] * w[k * out + o]);
                }
                double err = Math.abs(y[t * out + o] - ref);
                // float32 rounding grows like √in; a wrong or missing term costs about mag / in
                assertTrue(err <= 10 * Math.sqrt(in) * 0x1p-24 * mag + 1e-6, "row " + t + " out " + o + ": " + y[t * out + o] + " vs " + ref);
            }
        }
        for (int i = rows * out; i < y.length; i++) assertEquals(42f, y[i], "past the last row: padding must not be written");
    }

    @Test
    void anOutputIsTheSameFloatWhateverRowsItIsComputedWith() {
        int in = 768, out = 72, rows = 23;
        SplittableRandom rnd = new SplittableRandom(5);
        float[] packed = LoraMatMul.pack(random(rnd, in * out), 0, in, out);
        float[] x = random(rnd, rows * in);
        float[] all = new float[rows * out];
        LoraMatMul.matmul(packed, in, out, x, rows, all);
        for (int t = 0; t < rows; t++) {
            float[] one = new float[out];
            LoraMatMul.matmul(packed, in, out, Arrays.copyOfRange(x, t * in, (t + 1) * in), 1, one);
            assertArrayEquals(Arrays.copyOfRange(all, t * out, (t + 1) * out), one, 0f, "token " + t + " alone");
        }
        // rows 3 … 22 as a batch of their own: other tiles, other leftovers
        float[] tail = new float[(rows - 3) * out];
        LoraMatMul.matmul(packed, in, out, Arrays.copyOfRange(x, 3 * in, rows * in), rows - 3, tail);
        assertArrayEquals(Arrays.copyOfRange(all, 3 * out, rows * out), tail, 0f);
    }

    @Test
    void packPicksOneSlabOfAStackAndPadsItsRows() {
        int in = 3, out = 5;
        float[] stacked = new float[2 * in * out];
        for (int i = 0; i < stacked.length; i++) stacked[i] = i;
        float[] packed = LoraMatMul.pack(stacked, in * out, in, out);
        int stride = LoraMatMul.stride(out);
        assertEquals(0, stride % LoraMatMul.PANEL);
        assertEquals(in * stride, packed.length);
        for (int k = 0; k < in; k++) {
            for (int o = 0; o < stride; o++) assertEquals(o < out ? in * out + k * out + o : 0f, packed[k * stride + o]);
        }
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextDouble() * 2 - 1);
        return v;
    }
}
