package dev.goldfinch.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The loops of softmax attention for one head: scores of query rows against keys stored by column, the exponentials of a
 * row, and the weighted sum of value rows. Four query rows at a time share every key and value load; a single row
 * (decoding) runs alone. Each score and each output lane is one multiply-add chain in a fixed order, so a row gives
 * the same floats whichever group it was computed in, and exp uses only exactly-rounded operations, so compiled
 * and interpreted code agree to the bit.
 */
public final class AttentionKernel {
    private static final VectorSpecies<Float> F = Vectors.FLOAT;
    private static final VectorSpecies<Integer> I = Vectors.INT;
    public static final int LANES = F.length();

    private AttentionKernel() {
    }

    /** Entries rounded up to whole vectors: the length of a score row, and what key columns must have room for. */
    public static int padded(int entries) {
        return (entries + LANES - 1) / LANES * LANES;
    }

    /**
     * scores[j·stride + s] = scale · Σ_i q[qOff + j·qStride + i] · keys[(col + i)·cap + first + s] for rows j &lt; 4 and
     * s &lt; padded(count). Key columns hold at least first + padded(count) floats each.
     */
    public static void scores4(float[] q, int qOff, int qStride, float[] keys, int cap, int col, int n, int first, int count, float scale,
                               float[] scores, int stride) {
        int end = padded(count), s = 0;
        int q0 = qOff, q1 = qOff + qStride, q2 = q1 + qStride, q3 = q2 + qStride;
        for (; s + 2 * LANES <= end; s += 2 * LANES) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            for (int i = 0; i < n; i++) {
                int at = (col + i) * cap + first + s;
                FloatVector k0 = FloatVector.fromArray(F, keys, at), k1 = FloatVector.fromArray(F, keys, at + LANES);
                FloatVector x0 = FloatVector.broadcast(F, q[q0 + i]), x1 = FloatVector.broadcast(F, q[q1 + i]);
                FloatVector x2 = FloatVector.broadcast(F, q[q2 + i]), x3 = FloatVector.broadcast(F, q[q3 + i]);
                a0 = k0.fma(x0, a0);
                b0 = k1.fma(x0, b0);
                a1 = k0.fma(x1, a1);
                b1 = k1.fma(x1, b1);
                a2 = k0.fma(x2, a2);
                b2 = k1.fma(x2, b2);
                a3 = k0.fma(x3, a3);
                b3 = k1.fma(x3, b3);
            }
            a0.mul(scale).intoArray(scores, s);
            b0.mul(scale).intoArray(scores, s + LANES);
            a1.mul(scale).intoArray(scores, stride + s);
            b1.mul(scale).intoArray(scores, stride + s + LANES);
            a2.mul(scale).intoArray(scores, 2 * stride + s);
            b2.mul(scale).intoArray(scores, 2 * stride + s + LANES);
            a3.mul(scale).intoArray(scores, 3 * stride + s);
            b3.mul(scale).intoArray(scores, 3 * stride + s + LANES);
        }
        for (; s < end; s += LANES) {
            for (int j = 0; j < 4; j++) scoreVector(q, qOff + j * qStride, keys, cap, col, n, first + s, scale, scores, j * stride - first);
        }
    }

    /** The same for one row: scores[s] for s &lt; padded(count). */
    public static void scores1(float[] q, int qOff, float[] keys, int cap, int col, int n, int first, int count, float scale, float[] scores) {
        int end = padded(count), s = 0;
        for (; s + 4 * LANES <= end; s += 4 * LANES) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int i = 0; i < n; i++) {
                int at = (col + i) * cap + first + s;
                FloatVector x = FloatVector.broadcast(F, q[qOff + i]);
                a0 = FloatVector.fromArray(F, keys, at).fma(x, a0);
                a1 = FloatVector.fromArray(F, keys, at + LANES).fma(x, a1);
                a2 = FloatVector.fromArray(F, keys, at + 2 * LANES).fma(x, a2);
                a3 = FloatVector.fromArray(F, keys, at + 3 * LANES).fma(x, a3);
            }
            a0.mul(scale).intoArray(scores, s);
            a1.mul(scale).intoArray(scores, s + LANES);
            a2.mul(scale).intoArray(scores, s + 2 * LANES);
            a3.mul(scale).intoArray(scores, s + 3 * LANES);
        }
        for (; s < end; s += LANES) scoreVector(q, qOff, keys, cap, col, n, first + s, scale, scores, -first);
    }

    /** Scores of entries key … key+LANES−1 into scores[off + key …]. */
    private static void scoreVector(float[] q, int qOff, float[] keys, int cap, int col, int n, int s, float scale, float[] scores, int off) {
        FloatVector a = FloatVector.zero(F);
        for (int i = 0; i < n; i++) a = FloatVector.fromArray(F, keys, (col + i) * cap + s).fma(FloatVector.broadcast(F, q[qOff + i]), a);
        a.mul(scale).intoArray(scores, off + s);
    }

    /** The largest of row[off … off+count) (count ≥ 1). */
    public static float max(float[] row, int off, int count) {
        int full = count / LANES * LANES;
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int s = 0; s < full; s += LANES) mv = mv.max(FloatVector.fromArray(F, row, off + s));
        float max = mv.reduceLanes(VectorOperators.MAX); // exact in any order
        for (int s = full; s < count; s++) max = Math.max(max, row[off + s]);
        return max;
    }

    /**
     * row[s] = e^(row[s] − shift) for s &lt; count, and 0 from count up to padded(upTo); returns the sum of the
     * count values (vectors of whole lanes first, then the rest in order: the same floats for the same count).
     */
    public static float expShifted(float[] row, int off, int count, int upTo, float shift) {
        FloatVector sum = FloatVector.zero(F);
        int end = padded(count), full = count / LANES * LANES;
        for (int s = 0; s < end; s += LANES) {
            FloatVector e = exp(FloatVector.fromArray(F, row, off + s).sub(shift));
            e.intoArray(row, off + s);
            if (s < full) sum = sum.add(e);
        }
        for (int s = count, zEnd = Math.max(end, padded(upTo)); s < zEnd; s++) row[off + s] = 0;
        float total = Reduce.sum(sum);
        for (int s = full; s < count; s++) total += row[off + s];
        return total;
    }

    /** e^x for one float, by the vector exp (so that it rounds exactly as the lanes do). */
    public static float exp(float x) {
        return exp(FloatVector.broadcast(F, x)).lane(0);
    }

    /**
     * out[outOff + j·outStride + i] += Σ_{s &lt; count} p[j·pStride + s] · values[(first + s)·width + col + i] for rows
     * j &lt; 4 and i &lt; n: each lane a chain over s in order.
     */
    public static void weightedSum4(float[] p, int pStride, int first, int count, float[] values, int width, int col, int n,
                                    float[] out, int outOff, int outStride) {
        int p0 = 0, p1 = pStride, p2 = 2 * pStride, p3 = 3 * pStride;
        int o0 = outOff, o1 = outOff + outStride, o2 = o1 + outStride, o3 = o2 + outStride;
        int i = 0;
        for (; i + 2 * LANES <= n; i += 2 * LANES) {
            FloatVector a0 = FloatVector.fromArray(F, out, o0 + i), b0 = FloatVector.fromArray(F, out, o0 + i + LANES);
            FloatVector a1 = FloatVector.fromArray(F, out, o1 + i), b1 = FloatVector.fromArray(F, out, o1 + i + LANES);
            FloatVector a2 = FloatVector.fromArray(F, out, o2 + i), b2 = FloatVector.fromArray(F, out, o2 + i + LANES);
            FloatVector a3 = FloatVector.fromArray(F, out, o3 + i), b3 = FloatVector.fromArray(F, out, o3 + i + LANES);
            for (int s = 0; s < count; s++) {
                int at = (first + s) * width + col + i;
                FloatVector v0 = FloatVector.fromArray(F, values, at), v1 = FloatVector.fromArray(F, values, at + LANES);
                FloatVector w0 = FloatVector.broadcast(F, p[p0 + s]), w1 = FloatVector.broadcast(F, p[p1 + s]);
                FloatVector w2 = FloatVector.broadcast(F, p[p2 + s]), w3 = FloatVector.broadcast(F, p[p3 + s]);
                a0 = v0.fma(w0, a0);
                b0 = v1.fma(w0, b0);
                a1 = v0.fma(w1, a1);
                b1 = v1.fma(w1, b1);
                a2 = v0.fma(w2, a2);
                b2 = v1.fma(w2, b2);
                a3 = v0.fma(w3, a3);
                b3 = v1.fma(w3, b3);
            }
            a0.intoArray(out, o0 + i);
            b0.intoArray(out, o0 + i + LANES);
            a1.intoArray(out, o1 + i);
            b1.intoArray(out, o1 + i + LANES);
            a2.intoArray(out, o2 + i);
            b2.intoArray(out, o2 + i + LANES);
            a3.intoArray(out, o3 + i);
            b3.intoArray(out, o3 + i + LANES);
        }
        if (i < n) {
            for (int j = 0; j < 4; j++) weightedSumFrom(p, j * pStride, first, count, values, width, col, n, i, out, outOff + j * outStride);
        }
    }

    /** One row: out[outOff + i] += Σ_{s &lt; count} p[s] · values[(first + s)·width + col + i]. */
    public static void weightedSum1(float[] p, int first, int count, float[] values, int width, int col, int n, float[] out, int outOff) {
        weightedSumFrom(p, 0, first, count, values, width, col, n, 0, out, outOff);
    }

    /** Lanes i0 … n−1 of one row: four vectors at a time, then one, then single floats (Math.fma: the same rounding). */
    private static void weightedSumFrom(float[] p, int pOff, int first, int count, float[] values, int width, int col, int n, int i0,
                                        float[] out, int outOff) {
        int i = i0;
        for (; i + 4 * LANES <= n; i += 4 * LANES) {
            FloatVector a0 = FloatVector.fromArray(F, out, outOff + i), a1 = FloatVector.fromArray(F, out, outOff + i + LANES);
            FloatVector a2 = FloatVector.fromArray(F, out, outOff + i + 2 * LANES), a3 = FloatVector.fromArray(F, out, outOff + i + 3 * LANES);
            for (int s = 0; s < count; s++) {
                int at = (first + s) * width + col + i;
                FloatVector w = FloatVector.broadcast(F, p[pOff + s]);
                a0 = FloatVector.fromArray(F, values, at).fma(w, a0);
                a1 = FloatVector.fromArray(F, values, at + LANES).fma(w, a1);
                a2 = FloatVector.fromArray(F, values, at + 2 * LANES).fma(w, a2);
                a3 = FloatVector.fromArray(F, values, at + 3 * LANES).fma(w, a3);
            }
            a0.intoArray(out, outOff + i);
            a1.intoArray(out, outOff + i + LANES);
            a2.intoArray(out, outOff + i + 2 * LANES);
            a3.intoArray(out, outOff + i + 3 * LANES);
        }
        for (; i + LANES <= n; i += LANES) {
            FloatVector a = FloatVector.fromArray(F, out, outOff + i);
            for (int s = 0; s < count; s++) a = FloatVector.fromArray(F, values, (first + s) * width + col + i).fma(FloatVector.broadcast(F, p[pOff + s]), a);
            a.intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            float a = out[outOff + i];
            for (int s = 0; s < count; s++) a = Math.fma(values[(first + s) * width + col + i], p[pOff + s], a);
            out[outOff + i] = a;
        }
    }

    private static final float LOG2E = 1.44269504f, LN2_HI = 0.693145752f, LN2_LO = 1.42860677e-6f;
    /** 1.5·2^23: adding and subtracting it rounds a float below 2^22 to the nearest integer. */
    private static final float ROUNDER = 12582912f;

    /**
     * e^x to about one ulp, for x in [−87, 88] (clamped there): x = k·ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor
     * series to degree 7 (remainder below 2^−27), times 2^k built from the exponent bits. Only additions,
     * multiplications and fused multiply-adds, each exactly rounded: the same floats compiled or interpreted.
     */
    static FloatVector exp(FloatVector x) {
        x = x.max(-87f).min(88f);
        FloatVector k = x.mul(LOG2E).add(ROUNDER).sub(ROUNDER);
        FloatVector r = k.fma(FloatVector.broadcast(F, -LN2_HI), x);
        r = k.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector e = FloatVector.broadcast(F, 1f / 5040);
        e = e.fma(r, FloatVector.broadcast(F, 1f / 720));
        e = e.fma(r, FloatVector.broadcast(F, 1f / 120));
        e = e.fma(r, FloatVector.broadcast(F, 1f / 24));
        e = e.fma(r, FloatVector.broadcast(F, 1f / 6));
        e = e.fma(r, FloatVector.broadcast(F, 0.5f));
        e = e.fma(r, FloatVector.broadcast(F, 1f));
        e = e.fma(r, FloatVector.broadcast(F, 1f));
        IntVector bits = ((IntVector) k.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return e.mul(bits.reinterpretAsFloats());
    }
}
