package dev.goldfinch.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vectorized element-wise helpers give the scalar formulas' numbers bit for bit (a multiply and an add, each
 * rounded: no fused multiply-add), at every row width (whole vectors and tails), so a pre-fill, a decode and a
 * reopened reading compute the same keys and values. VectorWidthMain runs this at each vector width.
 */
class OpsTest {
    private final SplittableRandom random = new SplittableRandom(7);

    @Test
    void mixesAndSumsEqualTheScalarFormulasBitForBit() {
        for (int dim = 1; dim <= 70; dim++) {
            int rows = 3;
            float[] y = values(rows * dim), dx = values(rows * dim), maa = values(dim), lora = values(rows * dim);
            float[] mix = Ops.mix(y, dx, maa, rows, dim), mixLora = Ops.mix(y, dx, maa, lora, rows, dim);
            float[] sum = y.clone();
            Ops.addInPlace(sum, dx);
            for (int t = 0; t < rows; t++) {
                for (int i = 0; i < dim; i++) {
                    int at = t * dim + i;
                    assertBits(y[at] + dx[at] * maa[i], mix[at], "mix", dim, at);
                    assertBits(y[at] + dx[at] * (maa[i] + lora[at]), mixLora[at], "mix with lora", dim, at);
                    assertBits(y[at] + dx[at], sum[at], "addInPlace", dim, at);
                }
            }
        }
    }

    /**
     * The norms' statistics are summed in double by vectors instead of one element after another: the outputs stay
     * within an ulp of the sequential formula (a different last bit of a double mean can round the float mean the
     * other way), at every width, and rows far from zero keep the double's accuracy.
     */
    @Test
    void normsMatchTheSequentialDoubleFormulasWithinAnUlp() {
        for (int dim : new int[] {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 70, 768, 2048}) {
            for (double offset : new double[] {0, 1000}) {
                int rows = 2;
                float[] x = values(rows * dim), w = values(dim), b = values(dim);
                for (int i = 0; i < x.length; i++) x[i] += (float) offset;
                float[] ln = new float[x.length], rms = new float[x.length];
                Ops.layerNorm(x, rows, dim, w, b, Ops.LN_EPS, ln);
                Ops.rmsNorm(x, 0, rows, dim, rms);
                for (int r = 0; r < rows; r++) {
                    double mean = 0, var = 0, ss = 0;
                    for (int i = 0; i < dim; i++) mean += x[r * dim + i];
                    mean /= dim;
                    for (int i = 0; i < dim; i++) {
                        double d = x[r * dim + i] - mean;
                        var += d * d;
                        ss += (double) x[r * dim + i] * x[r * dim + i];
                    }
                    float inv = (float) (1.0 / Math.sqrt(var / dim + Ops.LN_EPS)), m = (float) mean;
                    float scale = (float) (1.0 / (Math.sqrt(ss) / Math.sqrt(dim) + 1e-8));
                    for (int i = 0; i < dim; i++) {
                        int at = r * dim + i;
                        float lnRef = (x[at] - m) * inv * w[i] + b[i], rmsRef = x[at] * scale;
                        assertEquals(lnRef, ln[at], 2 * Math.ulp(lnRef) + 2 * Math.ulp(b[i]), "layerNorm at width " + dim + ", offset " + offset + ", element " + at);
                        assertEquals(rmsRef, rms[at], Math.ulp(rmsRef), "rmsNorm at width " + dim + ", offset " + offset + ", element " + at);
                    }
                }
            }
        }
    }

    /**
     * tanh within 2 ulp of the exact value (Math.tanh's double, rounded) over every 4099th float of [−12, 12] and special
     * values, and the vector loop and the scalar tail giving the same bits for every element.
     */
    @Test
    void tanhIsWithinTwoUlpAndTheSameInTheVectorLoopAndTheTail() {
        java.util.List<Float> xs = new java.util.ArrayList<>(java.util.List.of(0f, -0f, Float.MIN_VALUE, 1e-30f, 0.55f, -0.55f,
                Math.nextDown(0.55f), 9.5f, 9.51f, 100f, -1e30f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY));
        for (int bits = 0; bits <= Float.floatToRawIntBits(12f); bits += 4099) {
            xs.add(Float.intBitsToFloat(bits));
            xs.add(-Float.intBitsToFloat(bits));
        }
        float[] x = new float[xs.size()];
        for (int i = 0; i < x.length; i++) x[i] = xs.get(i);
        float[] t = x.clone();
        Ops.tanh(t);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            float exact = (float) Math.tanh(x[i]);
            double ulps = Math.abs((double) t[i] - Math.tanh(x[i])) / Math.ulp(exact);
            worst = Math.max(worst, ulps);
            assertTrue(ulps <= 2, "tanh(" + x[i] + ") = " + t[i] + ", exactly " + Math.tanh(x[i]) + ": " + ulps + " ulp");
            assertBits(Ops.tanh(x[i]), t[i], "tanh (vector against scalar)", x.length, i);
        }
        assertTrue(Float.isNaN(Ops.tanh(Float.NaN)));
        float[] nan = {Float.NaN, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        Ops.tanh(nan);
        assertTrue(Float.isNaN(nan[0]) && nan[1] == Ops.tanh(1f), "NaN stays NaN in the vector loop and touches no other lane");
        System.out.println("tanh: worst " + worst + " ulp over " + x.length + " values");
    }

    private static void assertBits(float expected, float actual, String what, int dim, int at) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), what + " at width " + dim + ", element " + at);
    }

    /** Values of mixed magnitudes, so that rounding differences between orders of operations would show. */
    private float[] values(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-3, 4)));
        return v;
    }
}
