package dev.goldfinch.engine.model;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keys and values of the cached positions of one attention layer, with the absolute position of every entry
 * (ascending). Appended as the sequence grows; TOVA may drop entries. A copy shares nothing, so a snapshot never
 * sees what a working copy appends or drops.
 *
 * <p>Values are kept by entry, [entries, width]; keys by column, [width, capacity]: a query's scores against
 * consecutive entries are then one vector multiply-add per key dimension, with no sum across lanes per entry.
 *
 * <p>A copy shares the arrays until it writes (a document's cache is hundreds of MB; every question works on a copy):
 * each cache reads only its own first {@code length} entries, so one sharer may append into the room past them in
 * place. Whoever claims that room first keeps it; any other sharer copies the arrays before it writes, and so does
 * TOVA's eviction, which rewrites entries others read.
 */
final class KvCache {
    /** Capacity is kept a multiple of this, so that score vectors never run past the end of a key column. */
    static final int ALIGN = Math.max(16, dev.goldfinch.engine.kernel.AttentionKernel.LANES);

    final int width;
    /** keysByColumn[c · capacity + s]: dimension c of entry s. */
    float[] keysByColumn;
    float[] values;
    int[] positions;
    int length;
    int capacity;
    /** Shared with the caches these arrays are shared with (null: not shared); true once one of them took the room. */
    private AtomicBoolean roomTaken;
    /** This cache took the shared room: it appends in place. */
    private boolean ownsRoom;

    KvCache(int width) {
        this.width = width;
        this.keysByColumn = new float[0];
        this.values = new float[0];
        this.positions = new int[0];
    }

    void append(float[] k, float[] v, int rows, int firstPosition) {
        ensure(length + rows);
        if (roomTaken != null && !ownsRoom && !(ownsRoom = roomTaken.compareAndSet(false, true))) resize(capacity); // another sharer writes there
        // 64 rows at a time: their cache lines stay in L1 while every column takes its 64 keys (a column over all the
        // rows read each row's line once per column: 1.8x slower at 1,024 rows of 768).
        for (int r0 = 0; r0 < rows; r0 += 64) {
            int r1 = Math.min(rows, r0 + 64);
            for (int c = 0; c < width; c++) {
                int at = c * capacity + length;
                for (int r = r0; r < r1; r++) keysByColumn[at + r] = k[r * width + c];
            }
        }
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
        if (roomTaken != null) resize(capacity); // other sharers read these entries
        int w = 0;
        for (int s = 0; s < length; s++) {
            if (!keep[s]) continue;
            if (w != s) {
                for (int c = 0; c < width; c++) keysByColumn[c * capacity + w] = keysByColumn[c * capacity + s];
                System.arraycopy(values, s * width, values, w * width, width);
                positions[w] = positions[s];
            }
            w++;
        }
        length = w;
    }

    /** Room for {@code entries} in all, allocated once when the final length is known (a document being read). */
    void reserve(int entries) {
        if (entries > capacity) resize((entries + ALIGN - 1) / ALIGN * ALIGN);
    }

    private void ensure(int entries) {
        if (entries <= capacity) return;
        long grown = Math.max(entries, capacity * 3L / 2 + ALIGN);
        grown = Math.min(grown, (Integer.MAX_VALUE - 8L - ALIGN) / width);
        if (grown < entries) throw new IllegalStateException("attention cache too large: " + entries + " entries of " + width);
        resize((int) ((grown + ALIGN - 1) / ALIGN * ALIGN));
    }

    /** New arrays of this capacity (a multiple of ALIGN, at least length), owned alone: key columns moved to the new stride. */
    private void resize(int newCapacity) {
        float[] keys = new float[newCapacity * width];
        for (int c = 0; c < width; c++) System.arraycopy(keysByColumn, c * capacity, keys, c * newCapacity, length);
        keysByColumn = keys;
        values = Arrays.copyOf(values, newCapacity * width);
        positions = Arrays.copyOf(positions, newCapacity);
        capacity = newCapacity;
        roomTaken = null;
        ownsRoom = false;
    }

    /** A cache with these entries that shares the arrays until one of the two writes (see the class comment). */
    KvCache copy() {
        if (roomTaken == null) roomTaken = new AtomicBoolean();
        KvCache c = new KvCache(width);
        c.keysByColumn = keysByColumn;
        c.values = values;
        c.positions = positions;
        c.capacity = capacity;
        c.length = length;
        c.roomTaken = roomTaken;
        return c;
    }
}
