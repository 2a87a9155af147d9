package dev.goldfinch.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A copy of an attention cache shares its arrays (a question on a 64k-token document must not double its hundreds of
 * MB), and yet every copy sees exactly its own entries: one sharer appends in place, every other one copies before
 * it writes, and TOVA's eviction never rewrites what another sharer reads.
 */
class KvCacheTest {
    private static final int WIDTH = 24;

    @Test
    void copiesShareUntilTheyWriteAndNeverSeeEachOthersEntries() {
        KvCache document = filled(100, 0, 1);
        document.reserve(200);
        float[][] before = entries(document);
        KvCache first = document.copy(), second = document.copy();
        assertSame(document.keysByColumn, first.keysByColumn, "a copy shares the keys");
        assertSame(document.values, second.values, "a copy shares the values");

        append(first, 10, 100, 2); // takes the room past the document's entries: in place
        assertSame(document.keysByColumn, first.keysByColumn, "the first writer appends in place");
        append(second, 7, 100, 3); // the room is taken: copies first
        assertNotSame(document.keysByColumn, second.keysByColumn, "a second writer copies");

        assertArrayEquals(before[0], entries(document)[0], "the document's keys are unchanged");
        assertArrayEquals(before[1], entries(document)[1], "the document's values are unchanged");
        assertEquals(100, document.length);
        assertEntries(first, 100, 10, 2);
        assertEntries(second, 100, 7, 3);
        assertArrayEquals(prefix(entries(first)[0], 100), prefix(entries(second)[0], 100), "both copies start with the document");
        assertArrayEquals(before[0], prefix(entries(first)[0], 100));
    }

    @Test
    void evictionOnASharedCacheLeavesTheOthersAlone() {
        KvCache document = filled(64, 0, 1);
        float[][] before = entries(document);
        KvCache copy = document.copy();
        boolean[] keep = new boolean[64];
        for (int s = 0; s < 64; s += 3) keep[s] = true;
        copy.retain(keep);
        assertEquals(22, copy.length);
        assertArrayEquals(before[0], entries(document)[0], "the document keeps every key");
        assertArrayEquals(before[1], entries(document)[1], "the document keeps every value");
        for (int s = 0; s < copy.length; s++) assertEquals(3 * s, copy.positions[s]);
    }

    @Test
    void aCopyOfACopyThatAppendsInPlaceSeesOnlyWhatItWasMadeWith() {
        KvCache document = filled(50, 0, 1);
        document.reserve(120);
        KvCache first = document.copy();
        append(first, 5, 50, 2);
        KvCache again = first.copy();
        append(first, 5, 55, 4); // first keeps appending in place
        append(again, 3, 55, 5); // must not land on first's entries
        assertEquals(60, first.length);
        assertEntries(first, 50, 5, 2);
        assertEntries(first, 55, 5, 4);
        assertEquals(58, again.length);
        assertEntries(again, 50, 5, 2);
        assertEntries(again, 55, 3, 5);
    }

    /** Entries at positions from … from+n−1 whose every number encodes (seed, position, column). */
    private static KvCache filled(int n, int from, int seed) {
        KvCache kv = new KvCache(WIDTH);
        append(kv, n, from, seed);
        return kv;
    }

    private static void append(KvCache kv, int n, int from, int seed) {
        float[] k = new float[n * WIDTH], v = new float[n * WIDTH];
        SplittableRandom r = new SplittableRandom(seed);
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < WIDTH; c++) {
                k[t * WIDTH + c] = (float) r.nextGaussian();
                v[t * WIDTH + c] = seed * 1000f + from + t + c / 100f;
            }
        }
        kv.append(k, v, n, from);
    }

    /** The n entries from position `from` hold what seed `seed` appended there. */
    private static void assertEntries(KvCache kv, int from, int n, int seed) {
        for (int t = 0; t < n; t++) {
            assertEquals(from + t, kv.positions[from + t]);
            assertEquals(seed * 1000f + from + t, kv.values[(from + t) * WIDTH], "value of entry " + (from + t));
        }
    }

    /** Keys [length, width] and values [length, width] as this cache sees them. */
    static float[][] entries(KvCache kv) {
        int w = kv.width;
        float[] k = new float[kv.length * w];
        for (int s = 0; s < kv.length; s++) {
            for (int c = 0; c < w; c++) k[s * w + c] = kv.keysByColumn[c * kv.capacity + s];
        }
        return new float[][] {k, Arrays.copyOf(kv.values, kv.length * w)};
    }

    private static float[] prefix(float[] a, int entries) {
        return Arrays.copyOf(a, entries * WIDTH);
    }
}
