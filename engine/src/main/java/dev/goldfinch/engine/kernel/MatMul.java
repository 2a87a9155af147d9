package dev.goldfinch.engine.kernel;

import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * y = W·x for a batch of rows: W is a stored [out, in] weight (float32 or bf16, read where it lies in the
 * mapped checkpoint), x is [T, in] and y is [T, out], both row-major float32 on the heap.
 *
 * <p>Work is split over output rows. For one token (decode) each weight row is streamed once and widened in
 * registers; for a batch (pre-fill) a bf16 row is widened once into a scratch row and then reused by four
 * tokens at a time, so the weight is read from memory once per batch, not once per token.
 */
public final class MatMul {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private MatMul() {
    }

    public static void matmul(Tensor w, float[] x, int rows, float[] y) {
        int out = (int) w.size(0), in = (int) w.size(1);
        if (w.dtype() == DType.F16) throw new IllegalArgumentException("f16 weights must be widened at load: " + w.name());
        // Aim for pieces of at least ~64k multiply-adds so forking pays.
        int minRows = Math.max(1, (1 << 16) / Math.max(1, in * rows));
        Parallel.forRange(out, minRows, (from, to) -> rowRange(w, x, rows, in, out, y, from, to));
    }

    private static void rowRange(Tensor w, float[] x, int rows, int in, int out, float[] y, int from, int to) {
        MemorySegment seg = w.data();
        boolean bf16 = w.dtype() == DType.BF16;
        float[] wrow = null;
        if (bf16 && rows > 1) {
            wrow = SCRATCH.get();
            if (wrow.length < in) {
                wrow = new float[in];
                SCRATCH.set(wrow);
            }
        }
        for (int o = from; o < to; o++) {
            long rowOffset = (long) o * in;
            if (rows == 1) {
                y[o] = bf16 ? dotBf16(seg, rowOffset, x, 0, in) : dotF32(seg, rowOffset, x, 0, in);
                continue;
            }
            if (bf16) widenBf16(seg, rowOffset, wrow, in);
            int t = 0;
            for (; t + 4 <= rows; t += 4) {
                if (bf16) dot4(wrow, x, t * in, in, y, t, out, o);
                else dot4(seg, rowOffset, x, t * in, in, y, t, out, o);
            }
            for (; t < rows; t++) {
                y[t * out + o] = bf16 ? dot(wrow, x, t * in, in) : dotF32(seg, rowOffset, x, t * in, in);
            }
        }
    }

    /** bf16 is the top half of a float32: widen by a 16-bit left shift. */
    static FloatVector loadBf16(MemorySegment seg, long element) {
        ShortVector s = ShortVector.fromMemorySegment(S, seg, element * 2, LE);
        return ((IntVector) s.convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    static float bf16(MemorySegment seg, long element) {
        return Float.intBitsToFloat((seg.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE), element * 2) & 0xffff) << 16);
    }

    static float f32(MemorySegment seg, long element) {
        return seg.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE), element * 4);
    }

    static void widenBf16(MemorySegment seg, long rowOffset, float[] dst, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) loadBf16(seg, rowOffset + i).intoArray(dst, i);
        for (; i < n; i++) dst[i] = bf16(seg, rowOffset + i);
    }

    static float dotF32(MemorySegment seg, long rowOffset, float[] x, int xOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector wv = FloatVector.fromMemorySegment(F, seg, (rowOffset + i) * 4, LE);
            acc = wv.fma(FloatVector.fromArray(F, x, xOff + i), acc);
        }
        float sum = Reduce.sum(acc);
        for (; i < n; i++) sum += f32(seg, rowOffset + i) * x[xOff + i];
        return sum;
    }

    static float dotBf16(MemorySegment seg, long rowOffset, float[] x, int xOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = loadBf16(seg, rowOffset + i).fma(FloatVector.fromArray(F, x, xOff + i), acc);
        }
        float sum = Reduce.sum(acc);
        for (; i < n; i++) sum += bf16(seg, rowOffset + i) * x[xOff + i];
        return sum;
    }

    /** Dot product of two heap rows. */
    public static float dot(float[] a, float[] b, int bOff, int n) {
        return dot(a, 0, b, bOff, n);
    }

    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        float sum = Reduce.sum(acc);
        for (; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return sum;
    }

    /** Four tokens against one widened weight row: one weight load feeds four multiply-adds. */
    private static void dot4(float[] w, float[] x, int xOff, int n, float[] y, int t, int out, int o) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector wv = FloatVector.fromArray(F, w, i);
            a0 = wv.fma(FloatVector.fromArray(F, x, xOff + i), a0);
            a1 = wv.fma(FloatVector.fromArray(F, x, xOff + n + i), a1);
            a2 = wv.fma(FloatVector.fromArray(F, x, xOff + 2 * n + i), a2);
            a3 = wv.fma(FloatVector.fromArray(F, x, xOff + 3 * n + i), a3);
        }
        float s0 = Reduce.sum(a0), s1 = Reduce.sum(a1);
        float s2 = Reduce.sum(a2), s3 = Reduce.sum(a3);
        for (; i < n; i++) {
            float wi = w[i];
            s0 += wi * x[xOff + i];
            s1 += wi * x[xOff + n + i];
            s2 += wi * x[xOff + 2 * n + i];
            s3 += wi * x[xOff + 3 * n + i];
        }
        y[t * out + o] = s0;
        y[(t + 1) * out + o] = s1;
        y[(t + 2) * out + o] = s2;
        y[(t + 3) * out + o] = s3;
    }

    private static void dot4(MemorySegment seg, long rowOffset, float[] x, int xOff, int n, float[] y, int t, int out, int o) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector wv = FloatVector.fromMemorySegment(F, seg, (rowOffset + i) * 4, LE);
            a0 = wv.fma(FloatVector.fromArray(F, x, xOff + i), a0);
            a1 = wv.fma(FloatVector.fromArray(F, x, xOff + n + i), a1);
            a2 = wv.fma(FloatVector.fromArray(F, x, xOff + 2 * n + i), a2);
            a3 = wv.fma(FloatVector.fromArray(F, x, xOff + 3 * n + i), a3);
        }
        float s0 = Reduce.sum(a0), s1 = Reduce.sum(a1);
        float s2 = Reduce.sum(a2), s3 = Reduce.sum(a3);
        for (; i < n; i++) {
            float wi = f32(seg, rowOffset + i);
            s0 += wi * x[xOff + i];
            s1 += wi * x[xOff + n + i];
            s2 += wi * x[xOff + 2 * n + i];
            s3 += wi * x[xOff + 3 * n + i];
        }
        y[t * out + o] = s0;
        y[(t + 1) * out + o] = s1;
        y[(t + 2) * out + o] = s2;
        y[(t + 3) * out + o] = s3;
    }
}
