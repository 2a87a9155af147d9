package dev.goldfinch.engine.model;

import dev.goldfinch.engine.kernel.Parallel;
import dev.goldfinch.engine.kernel.Reduce;
import dev.goldfinch.engine.kernel.Vectors;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The RWKV-7 recurrence (the generalised delta rule), per head h with state S[i][j] (i = value channel, j = key
 * channel), kept row by row so that both inner loops run over contiguous j:
 * <pre>
 *   S[i][j] ← S[i][j]·w_j − (Σ_m S[i][m]·κ_m)·κ_j·a_j + v_i·k_j        o_i = Σ_j S[i][j]·r_j  (updated S)
 * </pre>
 * Heads run in parallel, tokens in order. The caller passes β = κ ⊙ a.
 */
final class Wkv7 {
    private static final VectorSpecies<Float> F = Vectors.FLOAT;

    private Wkv7() {
    }

    /** r, k, v, w, kappa, beta are [T, C]; state is [H, N, N]; returns o [T, C]. */
    static float[] run(float[] r, float[] k, float[] v, float[] w, float[] kappa, float[] beta, int rows, int heads, int n,
                       float[] state) {
        int c = heads * n;
        float[] out = new float[rows * c];
        Parallel.forRange(heads, 1, (h0, h1) -> {
            for (int h = h0; h < h1; h++) head(r, k, v, w, kappa, beta, rows, c, n, h, state, out);
        });
        return out;
    }

    private static void head(float[] r, float[] k, float[] v, float[] w, float[] kappa, float[] beta, int rows, int c, int n,
                             int h, float[] state, float[] out) {
        int s0 = h * n * n;
        int bound = F.loopBound(n);
        for (int t = 0; t < rows; t++) {
            int base = t * c + h * n;
            for (int i = 0; i < n; i++) {
                int row = s0 + i * n;
                // sa = S[i]·κ, with S before this token
                FloatVector acc = FloatVector.zero(F);
                int j = 0;
                for (; j < bound; j += F.length()) {
                    acc = FloatVector.fromArray(F, state, row + j).fma(FloatVector.fromArray(F, kappa, base + j), acc);
                }
                float sa = Reduce.sum(acc);
                for (; j < n; j++) sa += state[row + j] * kappa[base + j];
                float vi = v[base + i];
                FloatVector minusSa = FloatVector.broadcast(F, -sa), vv = FloatVector.broadcast(F, vi);
                FloatVector o = FloatVector.zero(F);
                j = 0;
                for (; j < bound; j += F.length()) {
                    FloatVector s = FloatVector.fromArray(F, state, row + j).mul(FloatVector.fromArray(F, w, base + j));
                    s = FloatVector.fromArray(F, beta, base + j).fma(minusSa, s);
                    s = FloatVector.fromArray(F, k, base + j).fma(vv, s);
                    s.intoArray(state, row + j);
                    o = s.fma(FloatVector.fromArray(F, r, base + j), o);
                }
                float oi = Reduce.sum(o);
                for (; j < n; j++) {
                    float s = state[row + j] * w[base + j] - sa * beta[base + j] + vi * k[base + j];
                    state[row + j] = s;
                    oi += s * r[base + j];
                }
                out[base + i] = oi;
            }
        }
    }
}
