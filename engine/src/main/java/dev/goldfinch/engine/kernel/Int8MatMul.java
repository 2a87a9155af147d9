package dev.goldfinch.engine.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * y = W·x with W held as {@link Int8Matrix}.
 *
 * <p>One token: the weights are read as int lanes, four bytes each, and byte k of every lane is brought out by two
 * shifts (sign included) and converted to float. That makes the lanes of the k-th vector the inputs 4j+k of the
 * group, so x is interleaved the same way once per call. Byte-to-float conversions through the Vector API's shape
 * changes were measured 2-3x slower than these shifts, and were what held int8 behind bf16 (batches still use them,
 * in {@link Int8Matrix#widen}: there each weight is converted once and then used by every token). Rows are taken four at a
 * time from the four quarters of the range, as the bf16 kernel does: four memory streams and four accumulators.
 *
 * <p>A batch goes through {@link MatMul}'s batch kernels, the rows dequantized where bf16 rows are widened: a
 * pre-fill with int8 weights runs at about the speed of one with bf16 weights.
 */
public final class Int8MatMul {
    private static final VectorSpecies<Float> F = Vectors.FLOAT;
    private static final VectorSpecies<Integer> I = Vectors.INT;
    private static final int LANES = F.length();
    /** Inputs one int-vector load covers: four bytes per lane (32 with AVX2). */
    static final int STEP = 4 * LANES;

    private Int8MatMul() {
    }

    public static void matmul(Int8Matrix w, float[] x, int rows, float[] y) {
        int out = w.out(), in = w.in();
        if (rows == 1 && w.block() % STEP == 0) {
            float[] xi = interleave(x, in);
            Parallel.forRange(out, Math.max(1, (1 << 16) / in), (from, to) -> gemv(w, xi, y, from, to));
        } else {
            MatMul.batch(w::widen, out, in, x, rows, y, MatMul.TILE_ROWS);
        }
    }

    /** x reordered per group of STEP inputs: position k·LANES + j holds input 4j + k, the order the shifts produce. */
    static float[] interleave(float[] x, int in) {
        float[] xi = new float[in];
        for (int s = 0; s < in; s += STEP) {
            for (int k = 0; k < 4; k++) {
                for (int j = 0; j < LANES; j++) xi[s + k * LANES + j] = x[s + 4 * j + k];
            }
        }
        return xi;
    }

    /** Rows [from, to): four quarters side by side, then the rows left over one at a time. */
    private static void gemv(Int8Matrix w, float[] xi, float[] y, int from, int to) {
        int q = (to - from) / 4;
        for (int o = from; o < from + q; o++) gemv4(w, o, q, xi, y);
        for (int o = from + 4 * q; o < to; o++) y[o] = dot(w, o, xi);
    }

    /** y[o + j·q] for j < 4, each row with its own accumulators (the same order of operations as {@link #dot}). */
    private static void gemv4(Int8Matrix w, int o, int q, float[] xi, float[] y) {
        MemorySegment v = w.values();
        int in = w.in(), block = w.block(), nb = w.blocksPerRow();
        long r0 = (long) o * in, r1 = r0 + (long) q * in, r2 = r1 + (long) q * in, r3 = r2 + (long) q * in;
        FloatVector y0 = FloatVector.zero(F), y1 = y0, y2 = y0, y3 = y0;
        for (int b = 0; b < nb; b++) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int i = b * block, end = i + block; i < end; i += STEP) {
                IntVector v0 = load(v, r0 + i), v1 = load(v, r1 + i), v2 = load(v, r2 + i), v3 = load(v, r3 + i);
                for (int k = 0; k < 4; k++) {
                    FloatVector xk = FloatVector.fromArray(F, xi, i + k * LANES);
                    a0 = toFloat(v0, k).fma(xk, a0);
                    a1 = toFloat(v1, k).fma(xk, a1);
                    a2 = toFloat(v2, k).fma(xk, a2);
                    a3 = toFloat(v3, k).fma(xk, a3);
                }
            }
            y0 = a0.fma(FloatVector.broadcast(F, w.scale(o, b)), y0);
            y1 = a1.fma(FloatVector.broadcast(F, w.scale(o + q, b)), y1);
            y2 = a2.fma(FloatVector.broadcast(F, w.scale(o + 2 * q, b)), y2);
            y3 = a3.fma(FloatVector.broadcast(F, w.scale(o + 3 * q, b)), y3);
        }
        y[o] = Reduce.sum(y0);
        y[o + q] = Reduce.sum(y1);
        y[o + 2 * q] = Reduce.sum(y2);
        y[o + 3 * q] = Reduce.sum(y3);
    }

    /** Row o times x (x interleaved). */
    static float dot(Int8Matrix w, int o, float[] xi) {
        MemorySegment v = w.values();
        int in = w.in(), block = w.block(), nb = w.blocksPerRow();
        long r0 = (long) o * in;
        FloatVector y0 = FloatVector.zero(F);
        for (int b = 0; b < nb; b++) {
            FloatVector a0 = FloatVector.zero(F);
            for (int i = b * block, end = i + block; i < end; i += STEP) {
                IntVector v0 = load(v, r0 + i);
                for (int k = 0; k < 4; k++) a0 = toFloat(v0, k).fma(FloatVector.fromArray(F, xi, i + k * LANES), a0);
            }
            y0 = a0.fma(FloatVector.broadcast(F, w.scale(o, b)), y0);
        }
        return Reduce.sum(y0);
    }

    private static IntVector load(MemorySegment values, long at) {
        return IntVector.fromMemorySegment(I, values, at, ByteOrder.LITTLE_ENDIAN);
    }

    /** Byte k of every int lane, sign-extended, as float: shift it to the top, then arithmetic-shift it back down. */
    private static FloatVector toFloat(IntVector v, int k) {
        IntVector top = k == 3 ? v : v.lanewise(VectorOperators.LSHL, 24 - 8 * k);
        return (FloatVector) top.lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0);
    }
}
