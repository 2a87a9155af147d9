package dev.goldfinch.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void everyIndexExactlyOnce() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            Parallel.setThreads(threads);
            for (int n : new int[] {0, 1, 7, 100, 1001}) {
                for (int rep = 0; rep < 50; rep++) {
                    AtomicIntegerArray seen = new AtomicIntegerArray(n);
                    Parallel.forRange(n, 1, (from, to) -> {
                        for (int i = from; i < to; i++) seen.incrementAndGet(i);
                    });
                    for (int i = 0; i < n; i++) assertEquals(1, seen.get(i), "threads " + threads + " n " + n + " index " + i);
                }
            }
        }
    }

    /** A team of N is the caller plus N−1 workers: the calling thread takes pieces itself, and a worker takes others. */
    @Test
    void usesMoreThanOneThreadAndTheCaller() {
        Parallel.setThreads(3);
        Thread caller = Thread.currentThread();
        Set<Thread> used = ConcurrentHashMap.newKeySet();
        for (int rep = 0; rep < 200 && !(used.contains(caller) && used.size() >= 2); rep++) {
            Parallel.forRange(64, 1, (from, to) -> {
                used.add(Thread.currentThread());
                long end = System.nanoTime() + 50_000;
                while (System.nanoTime() < end) Thread.onSpinWait();
            });
        }
        assertTrue(used.size() >= 2, "pieces ran on " + used);
        assertTrue(used.contains(caller), "the calling thread ran pieces itself: " + used);
        assertTrue(used.stream().anyMatch(t -> t != caller && t.getName().startsWith("goldfinch-worker-")), "a worker of the team ran pieces: " + used);
        assertTrue(used.size() <= 3, "no more threads than the team's 3: " + used);
    }

    @Test
    void nestedCallsRunInline() {
        Parallel.setThreads(2);
        AtomicIntegerArray seen = new AtomicIntegerArray(16 * 16);
        Parallel.forRange(16, 1, (a, b) -> {
            for (int i = a; i < b; i++) {
                int row = i;
                Parallel.forRange(16, 1, (c, d) -> {
                    for (int j = c; j < d; j++) seen.incrementAndGet(row * 16 + j);
                });
            }
        });
        for (int i = 0; i < 256; i++) assertEquals(1, seen.get(i));
    }

    @Test
    void failuresReachTheCaller() {
        Parallel.setThreads(2);
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException got = assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, 1, (from, to) -> {
            if (from <= 50 && 50 < to) throw boom;
        }));
        assertSame(boom, got);
        // the team still works afterwards
        AtomicIntegerArray seen = new AtomicIntegerArray(10);
        Parallel.forRange(10, 1, (from, to) -> {
            for (int i = from; i < to; i++) seen.incrementAndGet(i);
        });
        for (int i = 0; i < 10; i++) assertEquals(1, seen.get(i));
    }

    /** A team is 1 to maxThreads() threads: 100 000 would exhaust the system, 0 is none. */
    @Test
    void theTeamSizeIsBounded() {
        int max = Parallel.maxThreads();
        assertTrue(max >= 64 && max >= 4 * Runtime.getRuntime().availableProcessors(), "max " + max);
        for (int bad : new int[] {0, -3, max + 1, 100_000, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(bad));
            assertEquals("the number of threads must be between 1 and " + max + " (4 per core, at least 64), not " + bad, e.getMessage());
        }
        Parallel.setThreads(2);
        assertEquals(2, Parallel.threads(), "a refused size leaves the team as it was");
    }
}
