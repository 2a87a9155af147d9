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
            float[] difference = Ops.difference(y, dx);
            float[] sum = y.clone();
            Ops.addInPlace(sum, dx);
            for (int t = 0; t < rows; t++) {
                for (int i = 0; i < dim; i++) {
                    int at = t * dim + i;
                    assertBits(y[at] + dx[at] * maa[i], mix[at], "mix", dim, at);
                    assertBits(y[at] + dx[at] * (maa[i] + lora[at]), mixLora[at], "mix with lora", dim, at);
                    assertBits(y[at] - dx[at], difference[at], "difference", dim, at);
                    assertBits(y[at] + dx[at], sum[at], "addInPlace", dim, at);
                }
            }
        }
    }

    /** Within an ulp of Math.tanh; the same for a value wherever it sits (whole vectors and the masked tail); the limits kept. */
    @Test
    void tanhIsWithinAnUlpAndTheSameAtEveryPosition() {
        for (int n = 1; n <= 70; n++) {
            float[] x = values(n), y = x.clone();
            Ops.tanh(y);
            for (int i = 0; i < n; i++) {
                float expected = (float) Math.tanh(x[i]);
                assertTrue(Math.abs(expected - y[i]) <= Math.ulp(expected), "tanh(" + x[i] + ") = " + y[i] + ", Math.tanh " + expected);
            }
            for (float v : new float[] {0.3f, -2.5f, 7e-4f}) {
                float[] same = new float[n];
                java.util.Arrays.fill(same, v);
                Ops.tanh(same);
                for (int i = 1; i < n; i++) assertBits(same[0], same[i], "tanh of one value", n, i);
            }
        }
        float[] limits = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 40f, -40f, 0f, Float.NaN};
        Ops.tanh(limits);
        assertEquals(1f, limits[0]);
        assertEquals(-1f, limits[1]);
        assertEquals(1f, limits[2]);
        assertEquals(-1f, limits[3]);
        assertEquals(0f, limits[4]);
        assertTrue(Float.isNaN(limits[5]));
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
