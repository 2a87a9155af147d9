package dev.goldfinch.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The int8 quantizer's guarantee, block by block: the scale is the block's own max |w| / 127 (so the step is no wider
 * than the block needs), the largest weight gets the code ±127, and every weight comes back within half a step,
 * |w − q·scale| ≤ scale · (1/2 + 2⁻¹⁶): the rounding to the nearest code, plus the float rounding of w / scale and of
 * q · scale (each at most 127 · 2⁻²⁴ of a step). Blocks of 64, 32 and whole rows, magnitudes from 1e-30 to 1e30.
 */
class Int8MatrixTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @ParameterizedTest(name = "out {0} in {1}")
    @CsvSource({"7, 64", "5, 96", "9, 131", "3, 2112", "40, 768"})
    void everyWeightIsWithinHalfAStepOfItsBlock(int out, int in) {
        SplittableRandom rnd = new SplittableRandom(out * 1_000L + in);
        try (Arena arena = Arena.ofConfined()) {
            float[] w = new float[out * in];
            int block = Int8Matrix.blockFor(in), blocks = in / block;
            for (int o = 0; o < out; o++) {
                for (int b = 0; b < blocks; b++) {
                    int kind = (o * blocks + b) % 5;
                    // a block of its own magnitude; some with an outlier, one all zero, one with a single weight
                    double magnitude = Math.pow(10, rnd.nextInt(-30, 31));
                    for (int i = b * block; i < (b + 1) * block; i++) {
                        double v = (rnd.nextDouble() * 2 - 1) * magnitude;
                        if (kind == 1 && rnd.nextInt(20) == 0) v *= 8;
                        if (kind == 2) v = 0;
                        if (kind == 3) v = i == b * block + block / 3 ? -magnitude : 0;
                        w[o * in + i] = (float) v;
                    }
                }
            }
            MemorySegment seg = arena.allocate((long) w.length * 4, 64);
            MemorySegment.copy(w, 0, seg, F32, 0, w.length);
            Int8Matrix m = Int8Matrix.quantize(new Tensor("w", DType.F32, new long[] {out, in}, seg), arena);
            assertEquals(block, m.block());
            float[] back = new float[in];
            double worstSteps = 0;
            for (int o = 0; o < out; o++) {
                m.dequantizeRow(o, back);
                for (int b = 0; b < blocks; b++) {
                    float max = 0;
                    int at = -1;
                    for (int i = b * block; i < (b + 1) * block; i++) {
                        if (Math.abs(w[o * in + i]) > max) {
                            max = Math.abs(w[o * in + i]);
                            at = i;
                        }
                    }
                    float scale = m.scale(o, b);
                    String where = "row " + o + " block " + b;
                    assertEquals(max / 127f, scale, where + ": the scale is the block's max |w| / 127");
                    if (at >= 0) {
                        byte code = m.values().get(ValueLayout.JAVA_BYTE, (long) o * in + at);
                        assertEquals(Math.signum(w[o * in + at]) * 127, code, where + ": the largest weight gets the extreme code");
                    }
                    double bound = scale * (0.5 + 0x1p-16);
                    for (int i = b * block; i < (b + 1) * block; i++) {
                        double err = Math.abs((double) w[o * in + i] - back[i]);
                        assertTrue(err <= bound, where + " column " + i + ": " + w[o * in + i] + " comes back as " + back[i]
                                + ", " + err / scale + " of a step of " + scale);
                        if (scale > 0) worstSteps = Math.max(worstSteps, err / scale);
                    }
                }
            }
            // the bound is the real one: some weight lies close to half a step from its code
            assertTrue(worstSteps > 0.45, "worst error " + worstSteps + " of a step");
        }
    }
}
