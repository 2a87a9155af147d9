package dev.goldfinch.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Causal attention by tiles with a running softmax: against float64 softmax attention, and the same floats whether
 * the rows come in one call, in chunks, or one at a time (several tiles, rows left over from groups of four).
 */
class AttentionTest {
    @ParameterizedTest(name = "{0} entries, heads {1} x {2}, chunks of {3}")
    @CsvSource({"5, 1, 8, 1", "37, 2, 16, 5", "300, 3, 64, 7", "700, 2, 64, 300", "513, 1, 20, 13", "1030, 2, 32, 256"})
    void tiledAttentionMatchesFloat64AndAnyChunking(int len, int heads, int n, int chunk) {
        SplittableRandom rnd = new SplittableRandom(len * 31L + n);
        int a = heads * n;
        float[] k = new float[len * a], v = new float[len * a], q = new float[len * a];
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) rnd.nextGaussian();
            v[i] = (float) rnd.nextGaussian();
            q[i] = (float) rnd.nextGaussian() * 2;
        }
        float[] oneCall = run(k, v, q, len, heads, n, len);
        float[] chunked = run(k, v, q, len, heads, n, chunk);
        float[] single = run(k, v, q, len, heads, n, 1);
        assertArrayEquals(oneCall, chunked, "one call and chunks of " + chunk);
        assertArrayEquals(oneCall, single, "one call and one row at a time");
        for (int t = 0; t < len; t += Math.max(1, len / 17)) {
            for (int h = 0; h < heads; h++) {
                double[] w = new double[t + 1];
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int s = 0; s <= t; s++) {
                    for (int i = 0; i < n; i++) w[s] += (double) q[t * a + h * n + i] * k[s * a + h * n + i];
                    w[s] /= Math.sqrt(n);
                    max = Math.max(max, w[s]);
                }
                for (int s = 0; s <= t; s++) sum += w[s] = Math.exp(w[s] - max);
                for (int i = 0; i < n; i++) {
                    double ref = 0;
                    for (int s = 0; s <= t; s++) ref += w[s] / sum * v[s * a + h * n + i];
                    assertEquals(ref, oneCall[t * a + h * n + i], 2e-5, "row " + t + " head " + h + " lane " + i);
                }
            }
        }
    }

    /** Appends keys and values and attends, chunk rows at a time, as the layers do. */
    private static float[] run(float[] k, float[] v, float[] q, int len, int heads, int n, int chunk) {
        int a = heads * n;
        KvCache kv = new KvCache(a);
        InferenceState st = new InferenceState(new LayerState[0], a, a);
        float[] out = new float[len * a];
        for (int t0 = 0; t0 < len; t0 += chunk) {
            int rows = Math.min(chunk, len - t0);
            kv.append(Arrays.copyOfRange(k, t0 * a, (t0 + rows) * a), Arrays.copyOfRange(v, t0 * a, (t0 + rows) * a), rows, t0);
            float[] o = Attention.causal(Arrays.copyOfRange(q, t0 * a, (t0 + rows) * a), rows, new Step(t0, st), kv, heads, n);
            System.arraycopy(o, 0, out, t0 * a, rows * a);
        }
        return out;
    }
}
