package dev.goldfinch.engine.model;

import java.util.Arrays;

/**
 * Keys and values of the cached positions of one attention layer, [entries, width] each, with the absolute
 * position of every entry (ascending). Appended as the sequence grows; TOVA may drop entries. A copy shares
 * nothing, so a snapshot never sees what a working copy appends or drops.
 */
final class KvCache {
    final int width;
    float[] keys;
    float[] values;
    int[] positions;
    int length;

    KvCache(int width) {
        this.width = width;
        this.keys = new float[0];
        this.values = new float[0];
        this.positions = new int[0];
    }

    void append(float[] k, float[] v, int rows, int firstPosition) {
        ensure(length + rows);
        System.arraycopy(k, 0, keys, length * width, rows * width);
        System.arraycopy(v, 0, values, length * width, rows * width);
        for (int i = 0; i < rows; i++) positions[length + i] = firstPosition + i;
        length += rows;
    }

    /** Entries visible from absolute position p: those at positions ≤ p (a prefix, since positions ascend). */
    int visibleFrom(int p) {
        int lo = 0, hi = length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (positions[mid] <= p) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Keeps only the entries whose keep flag is set, in order (TOVA eviction). */
    void retain(boolean[] keep) {
        int w = 0;
        for (int s = 0; s < length; s++) {
            if (!keep[s]) continue;
            if (w != s) {
                System.arraycopy(keys, s * width, keys, w * width, width);
                System.arraycopy(values, s * width, values, w * width, width);
                positions[w] = positions[s];
            }
            w++;
        }
        length = w;
    }

    private void ensure(int entries) {
        if (entries <= positions.length) return;
        int grown = (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(entries, positions.length * 3L / 2 + 16));
        if ((long) grown * width > Integer.MAX_VALUE - 8) grown = Math.max(entries, (Integer.MAX_VALUE - 8) / width);
        keys = Arrays.copyOf(keys, grown * width);
        values = Arrays.copyOf(values, grown * width);
        positions = Arrays.copyOf(positions, grown);
    }

    KvCache copy() {
        KvCache c = new KvCache(width);
        c.keys = Arrays.copyOf(keys, length * width);
        c.values = Arrays.copyOf(values, length * width);
        c.positions = Arrays.copyOf(positions, length);
        c.length = length;
        return c;
    }
}
