package dev.goldfinch.engine.model;

import dev.goldfinch.engine.kernel.Parallel;
import dev.goldfinch.engine.kernel.Reduce;
import dev.goldfinch.engine.kernel.Vectors;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The RWKV-6 recurrence, per head h with state S[i][j] (i = value channel, j = key channel):
 * o_i = Σ_j r_j (u_j k_j v_i + S[i][j]);  S[i][j] = S[i][j] d_j + k_j v_i. Heads run in parallel, tokens in order.
 */
final class Wkv {
    private static final VectorSpecies<Float> F = Vectors.FLOAT;

    private Wkv() {
    }

    /** r, k, v, d are [T, A]; u is [A] or null (x060c2 uses none); state is [H, N, N]; returns o [T, A]. */
    static float[] run(float[] r, float[] k, float[] v, float[] d, float[] u, int rows, int heads, int n, float[] state) {
        int a = heads * n;
        float[] out = new float[rows * a];
        Parallel.forRange(heads, 1, (h0, h1) -> {
            for (int h = h0; h < h1; h++) head(r, k, v, d, u, rows, a, n, h, state, out);
        });
        return out;
    }

    private static void head(float[] r, float[] k, float[] v, float[] d, float[] u, int rows, int a, int n, int h,
                             float[] state, float[] out) {
        int s0 = h * n * n;
        for (int t = 0; t < rows; t++) {
            int base = t * a + h * n;
            float bonus = 0;
            if (u != null) {
                for (int j = 0; j < n; j++) bonus += r[base + j] * u[h * n + j] * k[base + j];
            }
            for (int i = 0; i < n; i++) {
                int row = s0 + i * n;
                float vi = v[base + i];
                FloatVector acc = FloatVector.zero(F);
                int j = 0;
                for (int bound = F.loopBound(n); j < bound; j += F.length()) {
                    FloatVector s = FloatVector.fromArray(F, state, row + j);
                    FloatVector rj = FloatVector.fromArray(F, r, base + j);
                    acc = s.fma(rj, acc);
                    FloatVector kv = FloatVector.fromArray(F, k, base + j).mul(vi);
                    s.fma(FloatVector.fromArray(F, d, base + j), kv).intoArray(state, row + j);
                }
                float o = Reduce.sum(acc);
                for (; j < n; j++) {
                    float s = state[row + j];
                    o += r[base + j] * s;
                    state[row + j] = s * d[base + j] + k[base + j] * vi;
                }
                out[base + i] = o + bonus * vi;
            }
        }
    }
}
