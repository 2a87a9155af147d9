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
                float[] e = AttentionKernel.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0)).toArray();
                for (int j = 0; j < L; j++) {
                    double ref = Math.exp(x[j]);
                    worst = Math.max(worst, Math.abs(e[j] - ref) / Math.ulp((float) ref));
                }
            }
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
        assertEquals(1f, AttentionKernel.exp(FloatVector.zero(FloatVector.SPECIES_PREFERRED)).lane(0));
    }

    @ParameterizedTest(name = "head size {0}, {1} entries")
    @CsvSource({"64, 1", "64, 37", "64, 300", "16, 9", "20, 50", "8, 129", "128, 64"})
    void groupsOfFourMatchSingleRowsAndFloat64(int n, int entries) {
        SplittableRandom rnd = new SplittableRandom(n * 1000L + entries);
        int heads = 3, width = heads * n, cap = (entries + 15) / 16 * 16 + 16, h = 1;
        float[] keys = new float[width * cap], values = new float[width * cap], q = new float[4 * width];
        for (int i = 0; i < keys.length; i++) keys[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < values.length; i++) values[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < q.length; i++) q[i] = (float) rnd.nextGaussian();
        float scale = (float) (1 / Math.sqrt(n));
        int stride = AttentionKernel.padded(entries);
        // row j sees entries − 3 + j of them (at least one): a causal group
        int[] visible = new int[4];
        for (int j = 0; j < 4; j++) visible[j] = Math.max(1, entries - 3 + j);
        float[] p4 = new float[4 * stride];
        AttentionKernel.scores4(q, h * n, width, keys, cap, h * n, n, entries, scale, p4, stride);
        for (int j = 0; j < 4; j++) AttentionKernel.softmax(p4, j * stride, Math.min(visible[j], entries), entries);
        float[] out4 = new float[4 * width];
        AttentionKernel.weightedSum4(p4, stride, entries, values, width, h * n, n, out4, h * n, width);
        for (int j = 0; j < 4; j++) {
            int vis = Math.min(visible[j], entries);
            float[] p1 = new float[stride];
            AttentionKernel.scores1(q, j * width + h * n, keys, cap, h * n, n, vis, scale, p1);
            AttentionKernel.softmax(p1, 0, vis, vis);
            float[] out1 = new float[width];
            AttentionKernel.weightedSum1(p1, vis, values, width, h * n, n, out1, h * n);
            assertEquals(Arrays.toString(Arrays.copyOfRange(p1, 0, vis)), Arrays.toString(Arrays.copyOfRange(p4, j * stride, j * stride + vis)), "row " + j + " weights");
            assertEquals(Arrays.toString(Arrays.copyOfRange(out1, h * n, h * n + n)), Arrays.toString(Arrays.copyOfRange(out4, j * width + h * n, j * width + h * n + n)), "row " + j + " output");
            // float64 reference
            double[] sc = new double[vis];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int s = 0; s < vis; s++) {
                for (int i = 0; i < n; i++) sc[s] += (double) q[j * width + h * n + i] * keys[(h * n + i) * cap + s];
                sc[s] /= Math.sqrt(n);
                max = Math.max(max, sc[s]);
            }
            for (int s = 0; s < vis; s++) sum += sc[s] = Math.exp(sc[s] - max);
            for (int i = 0; i < n; i++) {
                double ref = 0, mag = 0;
                for (int s = 0; s < vis; s++) {
                    ref += sc[s] / sum * values[s * width + h * n + i];
                    mag += Math.abs(sc[s] / sum * values[s * width + h * n + i]);
                }
                assertEquals(ref, out1[h * n + i], 1e-5 * (1 + mag), "row " + j + " lane " + i);
            }
        }
    }
}
