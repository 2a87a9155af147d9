package dev.goldfinch.engine.kernel;

import dev.goldfinch.engine.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Finds NaN and infinite values among stored numbers (bf16, f16, f32) at the speed memory delivers them: a value is
 * not finite exactly when its exponent bits are all ones, so with the sign bit cleared it is at least the bit
 * pattern of +Inf. Each vector of values is masked and folded into a running maximum (no branch per vector); only a
 * piece whose maximum reaches +Inf is searched element by element. Pieces of 1 MiB run on all the engine's threads.
 */
public final class NonFinite {
    private static final VectorSpecies<Short> S = Vectors.SHORT;
    private static final VectorSpecies<Integer> I = Vectors.INT;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long PIECE_BYTES = 1L << 20;

    private NonFinite() {
    }

    /** The index of the first NaN or ±Inf among the {@code dtype} values of {@code data}, or −1 if all are finite. */
    public static long first(MemorySegment data, DType dtype) {
        long n = data.byteSize() / dtype.bytes;
        long perPiece = PIECE_BYTES / dtype.bytes;
        int pieces = Math.toIntExact((n + perPiece - 1) / perPiece);
        AtomicLong firstBad = new AtomicLong(Long.MAX_VALUE);
        Parallel.forRange(pieces, 1, (from, to) -> {
            for (int p = from; p < to && p < firstBad.get(); p++) {
                long start = p * perPiece;
                if (any(data, dtype, start, Math.min(n, start + perPiece))) firstBad.accumulateAndGet(p, Math::min);
            }
        });
        if (firstBad.get() == Long.MAX_VALUE) return -1;
        long start = firstBad.get() * perPiece;
        for (long i = start, end = Math.min(n, start + perPiece); i < end; i++) {
            if (!finite(data, dtype, i)) return i;
        }
        throw new IllegalStateException("a non-finite value was seen but not found again");
    }

    /** Whether element {@code i} is finite (the slow, exact check). */
    public static boolean finite(MemorySegment data, DType dtype, long i) {
        return switch (dtype) {
            case BF16 -> (data.getAtIndex(I16, i) & 0x7fff) < 0x7f80;
            case F16 -> (data.getAtIndex(I16, i) & 0x7fff) < 0x7c00;
            case F32 -> (data.getAtIndex(I32, i) & 0x7fffffff) < 0x7f800000;
        };
    }

    /** Whether elements [from, to) hold a non-finite value. */
    private static boolean any(MemorySegment data, DType dtype, long from, long to) {
        return switch (dtype) {
            case BF16 -> any16(data, from * 2, to * 2, (short) 0x7f80);
            case F16 -> any16(data, from * 2, to * 2, (short) 0x7c00);
            case F32 -> any32(data, from * 4, to * 4);
        };
    }

    private static boolean any16(MemorySegment data, long from, long to, short inf) {
        int step = S.vectorByteSize();
        ShortVector m0 = ShortVector.zero(S), m1 = m0, m2 = m0, m3 = m0;
        long p = from;
        for (; p + 4L * step <= to; p += 4L * step) { // four chains: loads in flight while the maxima fold
            m0 = m0.max(ShortVector.fromMemorySegment(S, data, p, ByteOrder.LITTLE_ENDIAN).and((short) 0x7fff));
            m1 = m1.max(ShortVector.fromMemorySegment(S, data, p + step, ByteOrder.LITTLE_ENDIAN).and((short) 0x7fff));
            m2 = m2.max(ShortVector.fromMemorySegment(S, data, p + 2L * step, ByteOrder.LITTLE_ENDIAN).and((short) 0x7fff));
            m3 = m3.max(ShortVector.fromMemorySegment(S, data, p + 3L * step, ByteOrder.LITTLE_ENDIAN).and((short) 0x7fff));
        }
        for (; p + step <= to; p += step) {
            m0 = m0.max(ShortVector.fromMemorySegment(S, data, p, ByteOrder.LITTLE_ENDIAN).and((short) 0x7fff));
        }
        int max = m0.max(m1).max(m2).max(m3).reduceLanes(VectorOperators.MAX);
        for (; p < to; p += 2) max = Math.max(max, data.get(I16, p) & 0x7fff);
        return max >= inf;
    }

    private static boolean any32(MemorySegment data, long from, long to) {
        int step = I.vectorByteSize();
        IntVector m0 = IntVector.zero(I), m1 = m0, m2 = m0, m3 = m0;
        long p = from;
        for (; p + 4L * step <= to; p += 4L * step) {
            m0 = m0.max(IntVector.fromMemorySegment(I, data, p, ByteOrder.LITTLE_ENDIAN).and(0x7fffffff));
            m1 = m1.max(IntVector.fromMemorySegment(I, data, p + step, ByteOrder.LITTLE_ENDIAN).and(0x7fffffff));
            m2 = m2.max(IntVector.fromMemorySegment(I, data, p + 2L * step, ByteOrder.LITTLE_ENDIAN).and(0x7fffffff));
            m3 = m3.max(IntVector.fromMemorySegment(I, data, p + 3L * step, ByteOrder.LITTLE_ENDIAN).and(0x7fffffff));
        }
        for (; p + step <= to; p += step) {
            m0 = m0.max(IntVector.fromMemorySegment(I, data, p, ByteOrder.LITTLE_ENDIAN).and(0x7fffffff));
        }
        int max = m0.max(m1).max(m2).max(m3).reduceLanes(VectorOperators.MAX);
        for (; p < to; p += 4) max = Math.max(max, data.get(I32, p) & 0x7fffffff);
        return max >= 0x7f800000;
    }
}
