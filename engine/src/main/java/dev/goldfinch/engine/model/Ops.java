package dev.goldfinch.engine.model;

import dev.goldfinch.engine.kernel.Vectors;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** Row-wise elementwise and normalisation helpers over [rows, dim] float arrays. */
final class Ops {
    static final float LN_EPS = 1e-5f;
    private static final VectorSpecies<Float> F = Vectors.FLOAT;
    /** Doubles of F's width, and the floats that widen into them (half F's width). */
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, F.vectorShape());
    private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(F.vectorBitSize() / 2));

    private Ops() {
    }

    /** LayerNorm of each row (biased variance), written to out (may be x). */
    static void layerNorm(float[] x, int rows, int dim, float[] w, float[] b, float eps, float[] out) {
        for (int r = 0; r < rows; r++) layerNorm(x, r * dim, dim, w, b, 0, eps, out);
    }

    /** LayerNorm of x[off, off+n) with weights w[wOff..], b[wOff..]. */
    static void layerNorm(float[] x, int off, int n, float[] w, float[] b, int wOff, float eps, float[] out) {
        double mean = sum(x, off, n) / n;
        double var = squaredDeviations(x, off, n, mean) / n;
        float inv = (float) (1.0 / Math.sqrt(var + eps));
        float m = (float) mean;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, off + i).sub(m).mul(inv).mul(FloatVector.fromArray(F, w, wOff + i))
                    .add(FloatVector.fromArray(F, b, wOff + i)).intoArray(out, off + i);
        }
        for (; i < n; i++) out[off + i] = (x[off + i] - m) * inv * w[wOff + i] + b[wOff + i];
    }

    /** The reference's rms_norm: z / (‖z‖₂ · n^(−1/2) + 1e−8), for rows first … end−1, into out (may be x). */
    static void rmsNorm(float[] x, int first, int end, int dim, float[] out) {
        for (int r = first; r < end; r++) {
            int off = r * dim;
            double ss = squaredDeviations(x, off, dim, 0);
            float scale = (float) (1.0 / (Math.sqrt(ss) / Math.sqrt(dim) + 1e-8));
            int i = 0;
            for (int bound = F.loopBound(dim); i < bound; i += F.length()) {
                FloatVector.fromArray(F, x, off + i).mul(scale).intoArray(out, off + i);
            }
            for (; i < dim; i++) out[off + i] = x[off + i] * scale;
        }
    }

    /**
     * Σ x[off … off+n) in double: four vector accumulators of doubles, then their lanes in a fixed order, so that
     * compiled and interpreted code give the same sum (the norms' statistics, accurate whatever the rows' offset).
     */
    static double sum(float[] x, int off, int n) {
        DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
        int step = D.length(), i = 0;
        for (int bound = n - 4 * step; i <= bound; i += 4 * step) {
            a0 = a0.add(doubles(x, off + i));
            a1 = a1.add(doubles(x, off + i + step));
            a2 = a2.add(doubles(x, off + i + 2 * step));
            a3 = a3.add(doubles(x, off + i + 3 * step));
        }
        double s = lanes(a0.add(a1).add(a2.add(a3)));
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    /** Σ (x − c)² over x[off … off+n) in double, in the fixed order of {@link #sum}. */
    static double squaredDeviations(float[] x, int off, int n, double c) {
        DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
        int step = D.length(), i = 0;
        for (int bound = n - 4 * step; i <= bound; i += 4 * step) {
            DoubleVector d0 = doubles(x, off + i).sub(c), d1 = doubles(x, off + i + step).sub(c);
            DoubleVector d2 = doubles(x, off + i + 2 * step).sub(c), d3 = doubles(x, off + i + 3 * step).sub(c);
            a0 = a0.add(d0.mul(d0));
            a1 = a1.add(d1.mul(d1));
            a2 = a2.add(d2.mul(d2));
            a3 = a3.add(d3.mul(d3));
        }
        double s = lanes(a0.add(a1).add(a2.add(a3)));
        for (; i < n; i++) {
            double d = x[off + i] - c;
            s += d * d;
        }
        return s;
    }

    /** x[at …] as D.length() doubles (float to double is exact). */
    private static DoubleVector doubles(float[] x, int at) {
        return (DoubleVector) FloatVector.fromArray(HALF, x, at).convertShape(VectorOperators.F2D, D, 0);
    }

    /** The lanes of v added from the first to the last. */
    private static double lanes(DoubleVector v) {
        double s = 0;
        for (int j = 0; j < D.length(); j++) s += v.lane(j);
        return s;
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
        return mix(y, dx, 0, maa, rows, dim, new float[rows * dim]);
    }

    /** Rows of y + dx ⊙ maa from element {@code off} of y and dx, into out[0, rows·dim); returns out. */
    static float[] mix(float[] y, float[] dx, int off, float[] maa, int rows, int dim, float[] out) {
        int bound = F.loopBound(dim);
        for (int t = 0; t < rows; t++) {
            int in = off + t * dim, o = t * dim, i = 0;
            // a multiply, then an add, each rounded: the same numbers as the scalar loop, lane for lane
            for (; i < bound; i += F.length()) {
                FloatVector m = FloatVector.fromArray(F, dx, in + i).mul(FloatVector.fromArray(F, maa, i));
                FloatVector.fromArray(F, y, in + i).add(m).intoArray(out, o + i);
            }
            for (; i < dim; i++) out[o + i] = y[in + i] + dx[in + i] * maa[i];
        }
        return out;
    }

    /** y + dx ⊙ (maa + lora) with a per-row lora term. */
    static float[] mix(float[] y, float[] dx, float[] maa, float[] lora, int rows, int dim) {
        return mix(y, dx, 0, maa, lora, rows, dim, new float[rows * dim]);
    }

    /** Rows of y + dx ⊙ (maa + lora) from element {@code off} of y and dx (lora and out from 0); returns out. */
    static float[] mix(float[] y, float[] dx, int off, float[] maa, float[] lora, int rows, int dim, float[] out) {
        int bound = F.loopBound(dim);
        for (int t = 0; t < rows; t++) {
            int in = off + t * dim, o = t * dim, i = 0;
            for (; i < bound; i += F.length()) {
                FloatVector m = FloatVector.fromArray(F, maa, i).add(FloatVector.fromArray(F, lora, o + i));
                FloatVector.fromArray(F, y, in + i).add(FloatVector.fromArray(F, dx, in + i).mul(m)).intoArray(out, o + i);
            }
            for (; i < dim; i++) out[o + i] = y[in + i] + dx[in + i] * (maa[i] + lora[o + i]);
        }
        return out;
    }

    /** Columns [from, from+len) of a [rows, width] array, as a [rows, len] array. */
    static float[] columns(float[] m, int rows, int width, int from, int len) {
        return columns(m, rows, width, from, len, new float[rows * len]);
    }

    /** The same columns into out[0, rows·len); returns out. */
    static float[] columns(float[] m, int rows, int width, int from, int len, float[] out) {
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
     * tanh of every element, in place, within 2 ulp of the exact value ({@code OpsTest}). Only adds, multiplies, fused
     * multiply-adds and a division, in the same order in the vector loop and the scalar tail: the result does not
     * depend on the vector width or on whether the loop has been compiled yet. (The Vector API's own TANH calls a
     * library in compiled code and {@code Math.tanh} in the interpreter, which differ in the last bit, so a reading
     * resumed in a fresh process would not be the reading read in one go.)
     */
    static void tanh(float[] x) {
        tanh(x, x.length);
    }

    /** tanh of x[0, n), in place. */
    static void tanh(float[] x, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) tanh(FloatVector.fromArray(F, x, i)).intoArray(x, i);
        for (; i < n; i++) x[i] = tanh(x[i]);
    }

    /** Below this |x| the odd Taylor polynomial (to x^19, truncation under 1e−8 relative); above, (1 − e^−2|x|) / (1 + e^−2|x|). */
    private static final float TANH_SERIES_BOUND = 0.55f;
    /** tanh(x) rounds to ±1 from about 9.01 on; larger |x| are clamped so that e^−2|x| stays a normal float. */
    private static final float TANH_CLAMP = 9.5f;
    /** tanh x = x + x·s·P(s), s = x², P's coefficients from x^3 (−1/3) to x^19. */
    private static final float[] TANH_SERIES = {-1f / 3, 2f / 15, -17f / 315, 62f / 2835, -1382f / 155925, 21844f / 6081075,
            (float) (-929569 / 638512875.0), (float) (6404582 / 10854718875.0), (float) (-443861162 / 1856156927625.0)};
    /** e^r = Σ r^k / k! for |r| ≤ ln2 / 2, to k = 7 (truncation under 1e−8 relative). */
    private static final float[] EXP_SERIES = {1f, 1f, 1f / 2, 1f / 6, 1f / 24, 1f / 120, 1f / 720, 1f / 5040};
    private static final float LOG2_E = 1.442695041f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** 1.5 · 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to the nearest integer. */
    private static final float ROUNDER = 12582912f;

    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs(), s = ax.mul(ax);
        int last = TANH_SERIES.length - 1;
        FloatVector p = FloatVector.broadcast(F, TANH_SERIES[last]);
        for (int k = last - 1; k >= 0; k--) p = p.fma(s, FloatVector.broadcast(F, TANH_SERIES[k]));
        FloatVector series = x.add(x.mul(s).mul(p));
        FloatVector y = ax.blend(TANH_CLAMP, ax.compare(VectorOperators.GT, TANH_CLAMP)).mul(-2f);
        FloatVector n = y.mul(LOG2_E).add(ROUNDER).sub(ROUNDER);
        FloatVector r = n.mul(-LN2_LO).add(n.fma(FloatVector.broadcast(F, -LN2_HI), y));
        FloatVector e = FloatVector.broadcast(F, EXP_SERIES[EXP_SERIES.length - 1]);
        for (int k = EXP_SERIES.length - 2; k >= 0; k--) e = e.fma(r, FloatVector.broadcast(F, EXP_SERIES[k]));
        FloatVector pow2 = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector u = e.mul(pow2);
        FloatVector big = FloatVector.broadcast(F, 1f).sub(u).div(u.add(1f));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        return series.blend(big, ax.compare(VectorOperators.GE, TANH_SERIES_BOUND));
    }

    /** The same operations as {@link #tanh(FloatVector)} on one float. */
    static float tanh(float x) {
        float ax = Math.abs(x), s = ax * ax;
        if (!(ax >= TANH_SERIES_BOUND)) {
            int last = TANH_SERIES.length - 1;
            float p = TANH_SERIES[last];
            for (int k = last - 1; k >= 0; k--) p = Math.fma(p, s, TANH_SERIES[k]);
            return x + x * s * p;
        }
        float y = (ax > TANH_CLAMP ? TANH_CLAMP : ax) * -2f;
        float n = y * LOG2_E + ROUNDER - ROUNDER;
        float r = n * -LN2_LO + Math.fma(n, -LN2_HI, y);
        float e = EXP_SERIES[EXP_SERIES.length - 1];
        for (int k = EXP_SERIES.length - 2; k >= 0; k--) e = Math.fma(e, r, EXP_SERIES[k]);
        float u = e * Float.intBitsToFloat(((int) n + 127) << 23);
        float big = (1f - u) / (u + 1f);
        return x < 0 ? -big : big;
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    static float silu(float x) {
        return x * sigmoid(x);
    }

    static void addInPlace(float[] acc, float[] d) {
        addInPlace(acc, d, acc.length);
    }

    /** acc[0, n) += d[0, n). */
    static void addInPlace(float[] acc, float[] d, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, acc, i).add(FloatVector.fromArray(F, d, i)).intoArray(acc, i);
        }
        for (; i < n; i++) acc[i] += d[i];
    }
}
