package dev.goldfinch.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * y = x·W for the small float32 factors of the LoRA maps, W held as the checkpoint stores them: [in, out], so that
 * W[k][o … o+2·LANES) is two contiguous vectors. Rows are padded with zeros to a whole number of such panels.
 *
 * <p>These matrices are skinny: 32 to 160 columns one way, the model's width the other. {@link MatMul}'s batch kernel
 * vectorizes along the tokens, so it transposes the batch in and the results out; on such shapes that costs as much
 * as the multiplying (a profile of reopening a GoldFinch reading: 23% of the time in transposes and small-batch dot
 * products against 39% in the tiles). Here the vectors run along the outputs: a register tile of 6 tokens × 2 vectors
 * takes, per input k, two vector loads of W and six broadcasts of x into twelve FMAs, and writes rows of y directly.
 *
 * <p>Every output is a single FMA chain over k = 0 … in−1, started from zero, whatever the tile, the number of rows,
 * the thread or the vector width: one token, a chunk and a whole document give the same floats.
 */
public final class LoraMatMul {
    private static final VectorSpecies<Float> F = Vectors.FLOAT;
    private static final int LANES = F.length();
    /** Outputs per panel: two vectors. */
    static final int PANEL = 2 * LANES;
    /** Tokens per register tile. */
    static final int TOKENS = 6;
    /** Multiply-adds below which a piece of work is not worth handing to another thread. */
    private static final int MIN_WORK = 1 << 17;

    private LoraMatMul() {
    }

    /** Outputs per row of a packed factor: {@code out} rounded up to whole panels. */
    public static int stride(int out) {
        return (out + PANEL - 1) / PANEL * PANEL;
    }

    /** W [in, out] row-major (from {@code offset} of {@code w}) as rows of {@link #stride} floats, zero-padded. */
    public static float[] pack(float[] w, int offset, int in, int out) {
        int stride = stride(out);
        float[] packed = new float[in * stride];
        for (int k = 0; k < in; k++) System.arraycopy(w, offset + k * out, packed, k * stride, out);
        return packed;
    }

    /** y[t, 0 … out) = Σ_k x[t, k] · W[k, ·] for t &lt; rows; x is [rows, in], y [rows, out] (either may be longer). */
    public static void matmul(float[] w, int in, int out, float[] x, int rows, float[] y) {
        int stride = stride(out);
        if (w.length != in * stride) throw new IllegalArgumentException("packed factor has " + w.length + " floats, not " + in + " × " + stride);
        if (rows == 1) {
            token(w, stride, in, out, x, 0, y, 0);
            return;
        }
        int blocks = (rows + TOKENS - 1) / TOKENS;
        int grain = (int) Math.max(1, MIN_WORK / Math.max(1L, (long) TOKENS * in * out));
        Parallel.forRange(blocks, grain, (from, to) -> {
            for (int b = from; b < to; b++) {
                int t0 = b * TOKENS;
                if (t0 + TOKENS <= rows) {
                    for (int p = 0; p < stride; p += PANEL) tile(w, stride, in, out, p, x, t0 * in, y, t0 * out);
                } else {
                    for (int t = t0; t < rows; t++) token(w, stride, in, out, x, t * in, y, t * out);
                }
            }
        });
    }

    /** One token: panels two at a time (four independent chains hide the FMA latency), then the last one alone. */
    private static void token(float[] w, int stride, int in, int out, float[] x, int xOff, float[] y, int yOff) {
        int p = 0;
        for (; p + 2 * PANEL <= stride; p += 2 * PANEL) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int k = 0, wk = p; k < in; k++, wk += stride) {
                FloatVector b = FloatVector.broadcast(F, x[xOff + k]);
                a0 = b.fma(FloatVector.fromArray(F, w, wk), a0);
                a1 = b.fma(FloatVector.fromArray(F, w, wk + LANES), a1);
                a2 = b.fma(FloatVector.fromArray(F, w, wk + 2 * LANES), a2);
                a3 = b.fma(FloatVector.fromArray(F, w, wk + 3 * LANES), a3);
            }
            store(a0, y, yOff, p, out);
            store(a1, y, yOff, p + LANES, out);
            store(a2, y, yOff, p + 2 * LANES, out);
            store(a3, y, yOff, p + 3 * LANES, out);
        }
        if (p < stride) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0;
            for (int k = 0, wk = p; k < in; k++, wk += stride) {
                FloatVector b = FloatVector.broadcast(F, x[xOff + k]);
                a0 = b.fma(FloatVector.fromArray(F, w, wk), a0);
                a1 = b.fma(FloatVector.fromArray(F, w, wk + LANES), a1);
            }
            store(a0, y, yOff, p, out);
            store(a1, y, yOff, p + LANES, out);
        }
    }

    /** Six tokens (rows of x from xOff, of y from yOff) × the panel at output p. */
    private static void tile(float[] w, int stride, int in, int out, int p, float[] x, int xOff, float[] y, int yOff) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00;
        int x1 = xOff + in, x2 = x1 + in, x3 = x2 + in, x4 = x3 + in, x5 = x4 + in;
        for (int k = 0, wk = p; k < in; k++, wk += stride) {
            FloatVector w0 = FloatVector.fromArray(F, w, wk);
            FloatVector w1 = FloatVector.fromArray(F, w, wk + LANES);
            FloatVector b = FloatVector.broadcast(F, x[xOff + k]);
            a00 = b.fma(w0, a00);
            a01 = b.fma(w1, a01);
            b = FloatVector.broadcast(F, x[x1 + k]);
            a10 = b.fma(w0, a10);
            a11 = b.fma(w1, a11);
            b = FloatVector.broadcast(F, x[x2 + k]);
            a20 = b.fma(w0, a20);
            a21 = b.fma(w1, a21);
            b = FloatVector.broadcast(F, x[x3 + k]);
            a30 = b.fma(w0, a30);
            a31 = b.fma(w1, a31);
            b = FloatVector.broadcast(F, x[x4 + k]);
            a40 = b.fma(w0, a40);
            a41 = b.fma(w1, a41);
            b = FloatVector.broadcast(F, x[x5 + k]);
            a50 = b.fma(w0, a50);
            a51 = b.fma(w1, a51);
        }
        store(a00, y, yOff, p, out);
        store(a01, y, yOff, p + LANES, out);
        store(a10, y, yOff + out, p, out);
        store(a11, y, yOff + out, p + LANES, out);
        store(a20, y, yOff + 2 * out, p, out);
        store(a21, y, yOff + 2 * out, p + LANES, out);
        store(a30, y, yOff + 3 * out, p, out);
        store(a31, y, yOff + 3 * out, p + LANES, out);
        store(a40, y, yOff + 4 * out, p, out);
        store(a41, y, yOff + 4 * out, p + LANES, out);
        store(a50, y, yOff + 5 * out, p, out);
        store(a51, y, yOff + 5 * out, p + LANES, out);
    }

    /** Outputs o … o+LANES−1 of a row of y (from rowOff), those at or past {@code out} (padding) left out. */
    private static void store(FloatVector v, float[] y, int rowOff, int o, int out) {
        if (o + LANES <= out) {
            v.intoArray(y, rowOff + o);
        } else if (o < out) {
            VectorMask<Float> m = F.indexInRange(o, out);
            v.intoArray(y, rowOff + o, m);
        }
    }
}
