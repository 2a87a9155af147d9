package dev.goldfinch.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The attention loops against float64 references, and a row's floats the same whether computed in a group of four or alone. */
class AttentionKernelTest {
    private static final int L = AttentionKernel.LANES;

    @Test
    void expIsWithinTwoUlpsOfMathExpOverTheSoftmaxRange() {
        float[] x = new float[L];
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            float v = -87f + 87f * i / 200_000f;
            x[i % L] = v;
            if (i % L == L - 1) {
                float[] e = AttentionKernel.exp(FloatVector.fromArray(Vectors.FLOAT, x, 0)).toArray();
                for (int j = 0; j < L; j++) {
                    double ref = Math.exp(x[j]);
                    worst = Math.max(worst, Math.abs(e[j] - ref) / Math.ulp((float) ref));
                }
            }
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
        assertEquals(1f, AttentionKernel.exp(FloatVector.zero(Vectors.FLOAT)).lane(0));
    }

    @ParameterizedTest(name = "head size {0}, {1} entries from {2}")
    @CsvSource({"64, 1, 0", "64, 37, 16", "64, 300, 0", "16, 9, 32", "20, 50, 0", "8, 129, 8", "128, 64, 0"})
    void groupsOfFourMatchSingleRowsAndFloat64(int n, int count, int first) {
        SplittableRandom rnd = new SplittableRandom(n * 1000L + count);
        int heads = 3, width = heads * n, cap = AttentionKernel.padded(first + count) + 16, h = 1, stride = AttentionKernel.padded(count);
        float[] keys = new float[width * cap], values = new float[width * cap], q = new float[4 * width];
        for (int i = 0; i < keys.length; i++) keys[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < values.length; i++) values[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < q.length; i++) q[i] = (float) rnd.nextGaussian();
        float scale = (float) (1 / Math.sqrt(n));
        float[] p4 = new float[4 * stride];
        AttentionKernel.scores4(q, h * n, width, keys, cap, h * n, n, first, count, scale, p4, stride);
        int[] seen = new int[4];
        float[] sums = new float[4];
        for (int j = 0; j < 4; j++) {
            seen[j] = Math.max(1, count - 3 + j); // a causal group: row j sees count − 3 + j entries
            sums[j] = AttentionKernel.expShifted(p4, j * stride, seen[j], count, 0.5f);
        }
        float[] out4 = new float[4 * width];
        AttentionKernel.weightedSum4(p4, stride, first, count, values, width, h * n, n, out4, h * n, width);
        for (int j = 0; j < 4; j++) {
            float[] p1 = new float[stride];
            AttentionKernel.scores1(q, j * width + h * n, keys, cap, h * n, n, first, seen[j], scale, p1);
            float sum1 = AttentionKernel.expShifted(p1, 0, seen[j], seen[j], 0.5f);
            float[] out1 = new float[width];
            AttentionKernel.weightedSum1(p1, first, seen[j], values, width, h * n, n, out1, h * n);
            assertEquals(sum1, sums[j], "row " + j + " sum");
            assertEquals(Arrays.toString(Arrays.copyOf(p1, seen[j])), Arrays.toString(Arrays.copyOfRange(p4, j * stride, j * stride + seen[j])), "row " + j + " weights");
            assertEquals(Arrays.toString(Arrays.copyOfRange(out1, h * n, h * n + n)), Arrays.toString(Arrays.copyOfRange(out4, j * width + h * n, j * width + h * n + n)), "row " + j + " output");
            for (int s = seen[j]; s < count; s++) assertEquals(0f, p4[j * stride + s], "entries a row does not see weigh nothing");
            // float64: the weights e^(score − 0.5) and their weighted sum of values
            double refSum = 0;
            for (int s = 0; s < seen[j]; s++) {
                double sc = 0;
                for (int i = 0; i < n; i++) sc += (double) q[j * width + h * n + i] * keys[(h * n + i) * cap + first + s];
                double w = Math.exp(sc / Math.sqrt(n) - 0.5);
                refSum += w;
                assertEquals(w, p1[s], 1e-5 * Math.max(1, w), "row " + j + " weight " + s);
            }
            assertEquals(refSum, sum1, 1e-5 * refSum, "row " + j + " sum");
            for (int i = 0; i < n; i++) {
                double ref = 0, mag = 0;
                for (int s = 0; s < seen[j]; s++) {
                    ref += (double) p1[s] * values[(first + s) * width + h * n + i];
                    mag += Math.abs((double) p1[s] * values[(first + s) * width + h * n + i]);
                }
                assertEquals(ref, out1[h * n + i], 1e-5 * (1 + mag), "row " + j + " lane " + i);
            }
        }
    }
}
