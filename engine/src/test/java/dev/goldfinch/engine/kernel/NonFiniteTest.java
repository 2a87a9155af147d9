package dev.goldfinch.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.goldfinch.engine.tensor.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scan finds the first NaN or infinity in every dtype, wherever it lies: in a vector, in a tail, in a later piece. */
class NonFiniteTest {
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /** Finite random bits of the dtype, largest finite values and negative zeros included. */
    static MemorySegment finite(Arena arena, DType dtype, int n, long seed) {
        MemorySegment s = arena.allocate((long) n * dtype.bytes + 1).asSlice(1); // unaligned on purpose
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            switch (dtype) {
                case BF16 -> s.setAtIndex(I16, i, (short) (i % 97 == 0 ? 0xff7f : r.nextInt(0x10000) & 0xbf7f)); // exponent never all ones
                case F16 -> s.setAtIndex(I16, i, (short) (i % 89 == 0 ? 0x7bff : r.nextInt(0x10000) & 0xbbff));
                case F32 -> s.setAtIndex(I32, i, i % 83 == 0 ? 0x80000000 : Float.floatToRawIntBits((float) r.nextGaussian() * 1e30f));
            }
        }
        return s;
    }

    static void put(MemorySegment s, DType dtype, long i, float value) {
        switch (dtype) {
            case BF16 -> s.setAtIndex(I16, i, (short) (Float.floatToRawIntBits(value) >>> 16));
            case F16 -> s.setAtIndex(I16, i, Float.floatToFloat16(value));
            case F32 -> s.setAtIndex(I32, i, Float.floatToRawIntBits(value));
        }
    }

    @Test
    void findsTheFirstNonFiniteValueAnywhere() {
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0xffc00001)};
        try (Arena arena = Arena.ofConfined()) {
            for (DType dtype : DType.values()) {
                for (int n : new int[] {0, 1, 7, 64, 129, 1000}) {
                    MemorySegment s = finite(arena, dtype, n, n);
                    assertEquals(-1, NonFinite.first(s, dtype), dtype + " n " + n);
                    for (int at = 0; at < n; at += Math.max(1, n / 50)) {
                        MemorySegment copy = arena.allocate(s.byteSize()).copyFrom(s);
                        put(copy, dtype, at, bad[at % bad.length]);
                        if (at + 3 < n) put(copy, dtype, at + 3, Float.NaN);
                        assertEquals(at, NonFinite.first(copy, dtype), dtype + " n " + n + " at " + at);
                    }
                }
            }
        }
    }

    @Test
    void aLaterPieceOnSeveralThreadsAndTheFirstOfSeveral() {
        Parallel.setThreads(3);
        try (Arena arena = Arena.ofShared()) { // the pieces are read on the team's threads
            for (DType dtype : DType.values()) {
                int n = (5 << 20) / dtype.bytes + 11; // five pieces and a bit
                MemorySegment s = finite(arena, dtype, n, 7);
                assertEquals(-1, NonFinite.first(s, dtype));
                put(s, dtype, n - 1, Float.POSITIVE_INFINITY);
                assertEquals(n - 1, NonFinite.first(s, dtype), dtype + ": the very last element");
                put(s, dtype, 3L * n / 5 + 5, Float.NaN);
                put(s, dtype, 2L * n / 5 + 1, Float.NEGATIVE_INFINITY);
                assertEquals(2L * n / 5 + 1, NonFinite.first(s, dtype), dtype + ": the first of three");
            }
        }
    }
}
