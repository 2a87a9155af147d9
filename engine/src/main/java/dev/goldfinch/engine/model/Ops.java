package dev.goldfinch.engine.model;

import dev.goldfinch.engine.kernel.Vectors;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Row-wise elementwise and normalisation helpers over [rows, dim] float arrays. */
final class Ops {
    static final float LN_EPS = 1e-5f;
    private static final VectorSpecies<Float> F = Vectors.FLOAT;

    private Ops() {
    }

    /** LayerNorm of each row (biased variance), written to out (may be x). */
    static void layerNorm(float[] x, int rows, int dim, float[] w, float[] b, float eps, float[] out) {
        for (int r = 0; r < rows; r++) layerNorm(x, r * dim, dim, w, b, 0, eps, out);
    }

    /** LayerNorm of x[off, off+n) with weights w[wOff..], b[wOff..]. */
    static void layerNorm(float[] x, int off, int n, float[] w, float[] b, int wOff, float eps, float[] out) {
        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[off + i];
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            double d = x[off + i] - mean;
            var += d * d;
        }
        var /= n;
        float inv = (float) (1.0 / Math.sqrt(var + eps));
        float m = (float) mean;
        for (int i = 0; i < n; i++) out[off + i] = (x[off + i] - m) * inv * w[wOff + i] + b[wOff + i];
    }

    /** The reference's rms_norm: z / (‖z‖₂ · n^(−1/2) + 1e−8), per row, in place into out. */
    static void rmsNorm(float[] x, int rows, int dim, float[] out) {
        for (int r = 0; r < rows; r++) {
            int off = r * dim;
            double ss = 0;
            for (int i = 0; i < dim; i++) ss += (double) x[off + i] * x[off + i];
            float scale = (float) (1.0 / (Math.sqrt(ss) / Math.sqrt(dim) + 1e-8));
            for (int i = 0; i < dim; i++) out[off + i] = x[off + i] * scale;
        }
    }

    /** dx_t = y_{t−1} − y_t with y_{−1} = shift; then shift := y_{T−1}. */
    static float[] tokenShift(float[] y, int rows, int dim, float[] shift) {
        float[] dx = new float[rows * dim];
        for (int t = 0; t < rows; t++) {
            int off = t * dim;
            if (t == 0) {
                for (int i = 0; i < dim; i++) dx[i] = shift[i] - y[i];
            } else {
                for (int i = 0; i < dim; i++) dx[off + i] = y[off - dim + i] - y[off + i];
            }
        }
        System.arraycopy(y, (rows - 1) * dim, shift, 0, dim);
        return dx;
    }

    /** y + dx ⊙ maa (maa broadcast over rows). */
    static float[] mix(float[] y, float[] dx, float[] maa, int rows, int dim) {
        float[] out = new float[rows * dim];
        int bound = F.loopBound(dim);
        for (int t = 0; t < rows; t++) {
            int off = t * dim, i = 0;
            // a multiply, then an add, each rounded: the same numbers as the scalar loop, lane for lane
            for (; i < bound; i += F.length()) {
                FloatVector m = FloatVector.fromArray(F, dx, off + i).mul(FloatVector.fromArray(F, maa, i));
                FloatVector.fromArray(F, y, off + i).add(m).intoArray(out, off + i);
            }
            for (; i < dim; i++) out[off + i] = y[off + i] + dx[off + i] * maa[i];
        }
        return out;
    }

    /** y + dx ⊙ (maa + lora) with a per-row lora term. */
    static float[] mix(float[] y, float[] dx, float[] maa, float[] lora, int rows, int dim) {
        float[] out = new float[rows * dim];
        int bound = F.loopBound(dim);
        for (int t = 0; t < rows; t++) {
            int off = t * dim, i = 0;
            for (; i < bound; i += F.length()) {
                FloatVector m = FloatVector.fromArray(F, maa, i).add(FloatVector.fromArray(F, lora, off + i));
                FloatVector.fromArray(F, y, off + i).add(FloatVector.fromArray(F, dx, off + i).mul(m)).intoArray(out, off + i);
            }
            for (; i < dim; i++) out[off + i] = y[off + i] + dx[off + i] * (maa[i] + lora[off + i]);
        }
        return out;
    }

    /** Columns [from, from+len) of a [rows, width] array, as a [rows, len] array. */
    static float[] columns(float[] m, int rows, int width, int from, int len) {
        float[] out = new float[rows * len];
        for (int t = 0; t < rows; t++) System.arraycopy(m, t * width + from, out, t * len, len);
        return out;
    }

    /** relu(x)², the channel mixes' activation, in place over x[0, n). */
    static void squaredRelu(float[] x, int n) {
        for (int i = 0; i < n; i++) {
            float z = Math.max(x[i], 0f);
            x[i] = z * z;
        }
    }

    /**
     * tanh of every element, in place, by the Vector API (on x86 Intel's SVML: within an ulp of Math.tanh, and measured
     * 6-8x faster, which matters: the LoRA activations take tens of millions of them to reopen a long reading). The tail
     * goes through the same function under a mask, so a value gets the same tanh wherever it sits in an array: a
     * pre-fill chunk, a single decoded row and a reopened reading agree.
     */
    static void tanh(float[] x) {
        int i = 0;
        for (int bound = F.loopBound(x.length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, i).lanewise(VectorOperators.TANH).intoArray(x, i);
        }
        if (i < x.length) {
            VectorMask<Float> tail = F.indexInRange(i, x.length);
            FloatVector.fromArray(F, x, i, tail).lanewise(VectorOperators.TANH).intoArray(x, i, tail);
        }
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    static float silu(float x) {
        return x * sigmoid(x);
    }

    /** a − b, element by element. */
    static float[] difference(float[] a, float[] b) {
        float[] out = new float[a.length];
        int i = 0;
        for (int bound = F.loopBound(a.length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, i).sub(FloatVector.fromArray(F, b, i)).intoArray(out, i);
        }
        for (; i < a.length; i++) out[i] = a[i] - b[i];
        return out;
    }

    static void addInPlace(float[] acc, float[] d) {
        int i = 0;
        for (int bound = F.loopBound(acc.length); i < bound; i += F.length()) {
            FloatVector.fromArray(F, acc, i).add(FloatVector.fromArray(F, d, i)).intoArray(acc, i);
        }
        for (; i < acc.length; i++) acc[i] += d[i];
    }
}
