package dev.goldfinch.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
