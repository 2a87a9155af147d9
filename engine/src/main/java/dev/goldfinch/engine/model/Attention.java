package dev.goldfinch.engine.model;

import dev.goldfinch.engine.kernel.AttentionKernel;
import dev.goldfinch.engine.kernel.Parallel;

/**
 * Causal softmax attention of new rows over a cache, by absolute position: the row at position p sees the
 * cached entries at positions ≤ p, however the sequence was chunked (the correct rule, not torch's top-left
 * mask). With a TOVA budget B (arXiv 2401.06104), once the cache holds more than B entries it keeps the B that
 * the newest query weighs most, averaged over heads, and drops the rest.
 */
final class Attention {
    private Attention() {
    }

    /** q is [T, A] for positions start … start+T−1, whose entries the cache already holds. Returns o [T, A]. */
    static float[] causal(float[] q, int rows, Step step, KvCache kv, int heads, int n) {
        int a = heads * n;
        int start = step.start();
        float[] out = new float[rows * a];
        float scale = (float) (1.0 / Math.sqrt(n));
        int budget = step.state().tovaBudget;
        float[] lastWeights = budget > 0 && kv.length > budget ? new float[heads * kv.length] : null;
        float[] mass = step.state().attentionMass;
        float[][] rowWeights = mass == null ? null : new float[rows * heads][];
        int groups = rows / 4, singles = rows - 4 * groups;
        Parallel.forRange((groups + singles) * heads, 1, (from, to) -> {
            float[] p = new float[4 * AttentionKernel.padded(kv.length)];
            for (int job = from; job < to; job++) {
                int g = job / heads, h = job % heads;
                int t0 = g < groups ? 4 * g : 4 * groups + (g - groups), count = g < groups ? 4 : 1;
                int qOff = t0 * a + h * n;
                int last = kv.visibleFrom(start + t0 + count - 1), stride = AttentionKernel.padded(last);
                if (count == 4) {
                    AttentionKernel.scores4(q, qOff, a, kv.keysByColumn, kv.capacity, h * n, n, last, scale, p, stride);
                    for (int j = 0; j < 4; j++) AttentionKernel.softmax(p, j * stride, kv.visibleFrom(start + t0 + j), last);
                    AttentionKernel.weightedSum4(p, stride, last, kv.values, a, h * n, n, out, qOff, a);
                } else {
                    AttentionKernel.scores1(q, qOff, kv.keysByColumn, kv.capacity, h * n, n, last, scale, p);
                    AttentionKernel.softmax(p, 0, last, last);
                    AttentionKernel.weightedSum1(p, last, kv.values, a, h * n, n, out, qOff);
                }
                for (int j = 0; j < count; j++) {
                    int t = t0 + j, visible = kv.visibleFrom(start + t);
                    if (lastWeights != null && t == rows - 1) System.arraycopy(p, j * stride, lastWeights, h * kv.length, visible);
                    if (rowWeights != null) rowWeights[t * heads + h] = java.util.Arrays.copyOfRange(p, j * stride, j * stride + visible);
                }
            }
        });
        long attended = 0;
        for (int t = 0; t < rows; t++) attended += kv.visibleFrom(start + t);
        step.state().attendedPositions += attended * heads;
        if (rowWeights != null) addMass(mass, rowWeights, kv);
        if (lastWeights != null) evict(kv, lastWeights, heads, budget);
        return out;
    }

    /** Adds each row's attention weights to the mass of the positions they fell on (positions below mass.length). */
    private static void addMass(float[] mass, float[][] rowWeights, KvCache kv) {
        for (float[] w : rowWeights) {
            for (int s = 0; s < w.length; s++) {
                int p = kv.positions[s];
                if (p < mass.length) mass[p] += w[s];
            }
        }
    }

    /** TOVA: keep the budget entries with the highest attention weight of the newest query, averaged over heads. */
    private static void evict(KvCache kv, float[] weights, int heads, int budget) {
        int len = kv.length;
        float[] mean = new float[len];
        for (int h = 0; h < heads; h++) {
            for (int s = 0; s < len; s++) mean[s] += weights[h * len + s] / heads;
        }
        Integer[] order = new Integer[len];
        for (int s = 0; s < len; s++) order[s] = s;
        // Highest first; on ties keep the later position (more recent).
        java.util.Arrays.sort(order, (x, y) -> mean[x] != mean[y] ? Float.compare(mean[y], mean[x]) : Integer.compare(y, x));
        boolean[] keep = new boolean[len];
        for (int i = 0; i < budget; i++) keep[order[i]] = true;
        kv.retain(keep);
    }
}
