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
        int[] visible = new int[rows];
        for (int t = 0; t < rows; t++) visible[t] = kv.visibleFrom(start + t);
        Parallel.forRange(heads, 1, (from, to) -> {
            for (int h = from; h < to; h++) {
                // Raw scores are kept only for the rows whose attention weights are wanted (TOVA, sources).
                float[][] raw = new float[rows][];
                for (int t = 0; t < rows; t++) {
                    if (rowWeights != null || (lastWeights != null && t == rows - 1)) raw[t] = new float[AttentionKernel.padded(visible[t])];
                }
                head(q, rows, visible, kv, h, heads, n, scale, out, raw);
                for (int t = 0; t < rows; t++) {
                    if (raw[t] == null) continue;
                    if (lastWeights != null && t == rows - 1) System.arraycopy(raw[t], 0, lastWeights, h * kv.length, visible[t]);
                    if (rowWeights != null) rowWeights[t * heads + h] = java.util.Arrays.copyOf(raw[t], visible[t]);
                }
            }
        });
        long attended = 0;
        for (int t = 0; t < rows; t++) attended += visible[t];
        step.state().attendedPositions += attended * heads;
        if (rowWeights != null) addMass(mass, rowWeights, kv);
        if (lastWeights != null) evict(kv, lastWeights, heads, budget);
        return out;
    }

    /** Cached entries per tile: a tile's keys and values (64 KiB each at head size 64) stay in L2 while every row passes. */
    static final int TILE = 256;

    /**
     * Head h for every row, tile by tile with a running softmax (flash-attention order): each tile's keys and values
     * are read from memory once for all rows instead of once per row. Four rows at a time share the loads. A row's
     * floats depend only on its own visible count and the fixed tile boundaries, so they are the same in any chunking
     * and when decoding one token. raw[t], where not null, receives row t's attention weights.
     */
    private static void head(float[] q, int rows, int[] visible, KvCache kv, int h, int heads, int n, float scale, float[] out, float[][] raw) {
        int a = heads * n, col = h * n;
        float[] max = new float[rows], sum = new float[rows];
        java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
        float[] p = new float[4 * TILE];
        int firstRow = 0;
        for (int tile = 0; tile < visible[rows - 1]; tile += TILE) {
            while (visible[firstRow] <= tile) firstRow++; // rows that see nothing of this tile skip it
            for (int t = firstRow; t < rows; ) {
                int count = rows - t >= 4 ? 4 : 1;
                int len = Math.min(tile + TILE, visible[t + count - 1]) - tile;
                if (count == 4) AttentionKernel.scores4(q, t * a + col, a, kv.keysByColumn, kv.capacity, col, n, tile, len, scale, p, TILE);
                else AttentionKernel.scores1(q, t * a + col, kv.keysByColumn, kv.capacity, col, n, tile, len, scale, p);
                for (int j = 0; j < count; j++) {
                    int r = t + j, seen = Math.min(visible[r], tile + TILE) - tile;
                    if (raw[r] != null) System.arraycopy(p, j * TILE, raw[r], tile, seen);
                    float m = Math.max(max[r], AttentionKernel.max(p, j * TILE, seen));
                    float rescale = max[r] == Float.NEGATIVE_INFINITY ? 0 : AttentionKernel.exp(max[r] - m);
                    sum[r] = sum[r] * rescale + AttentionKernel.expShifted(p, j * TILE, seen, len, m);
                    max[r] = m;
                    if (rescale != 1) {
                        for (int i = 0; i < n; i++) out[r * a + col + i] *= rescale;
                    }
                }
                if (count == 4) AttentionKernel.weightedSum4(p, TILE, tile, len, kv.values, a, col, n, out, t * a + col, a);
                else AttentionKernel.weightedSum1(p, tile, len, kv.values, a, col, n, out, t * a + col);
                t += count;
            }
        }
        for (int r = 0; r < rows; r++) {
            float inv = 1 / sum[r];
            for (int i = 0; i < n; i++) out[r * a + col + i] *= inv;
            if (raw[r] != null) {
                AttentionKernel.expShifted(raw[r], 0, visible[r], visible[r], max[r]);
                for (int s = 0; s < visible[r]; s++) raw[r][s] *= inv;
            }
        }
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
