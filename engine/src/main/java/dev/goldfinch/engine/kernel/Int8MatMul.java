package dev.goldfinch.engine.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * y = W·x with W held as {@link Int8Matrix}. One token: int8 lanes are widened to float in registers and each block's
 * partial sum is scaled once. A batch: each row is dequantized once into a scratch row and reused by every token.
 */
public final class Int8MatMul {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(F.length() * 8));
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private Int8MatMul() {
    }

    public static void matmul(Int8Matrix w, float[] x, int rows, float[] y) {
        int out = w.out(), in = w.in();
        int minRows = Math.max(1, (1 << 16) / Math.max(1, in * rows));
        Parallel.forRange(out, minRows, (from, to) -> {
            if (rows == 1) {
                for (int o = from; o < to; o++) y[o] = dot(w, o, x);
                return;
            }
            float[] row = SCRATCH.get();
            if (row.length < in) {
                row = new float[in];
                SCRATCH.set(row);
            }
            for (int o = from; o < to; o++) {
                w.dequantizeRow(o, row);
                for (int t = 0; t < rows; t++) y[t * out + o] = MatMul.dot(row, 0, x, t * in, in);
            }
        });
    }

    /**
     * Row o of W times x (one token). Two independent accumulator chains, inside each block and across blocks: a
     * single chain waits on every multiply-add's latency (measured: half the throughput of two chains).
     */
    static float dot(Int8Matrix w, int o, float[] x) {
        MemorySegment q = w.values();
        int in = w.in(), block = w.block(), nb = w.blocksPerRow(), lanes = F.length();
        long base = (long) o * in;
        FloatVector even = FloatVector.zero(F), odd = even;
        float tail = 0;
        for (int b = 0; b < nb; b++) {
            int start = b * block;
            FloatVector a0 = FloatVector.zero(F), a1 = a0;
            int i = 0;
            for (int bound = block - 2 * lanes; i <= bound; i += 2 * lanes) {
                a0 = widen(q, base + start + i).fma(FloatVector.fromArray(F, x, start + i), a0);
                a1 = widen(q, base + start + i + lanes).fma(FloatVector.fromArray(F, x, start + i + lanes), a1);
            }
            for (int bound = F.loopBound(block); i < bound; i += lanes) {
                a0 = widen(q, base + start + i).fma(FloatVector.fromArray(F, x, start + i), a0);
            }
            FloatVector scale = FloatVector.broadcast(F, w.scale(o, b));
            if ((b & 1) == 0) even = a0.add(a1).fma(scale, even);
            else odd = a0.add(a1).fma(scale, odd);
            float rest = 0;
            for (; i < block; i++) rest += q.get(ValueLayout.JAVA_BYTE, base + start + i) * x[start + i];
            tail += rest * w.scale(o, b);
        }
        return Reduce.sum(even.add(odd)) + tail;
    }

    private static FloatVector widen(MemorySegment q, long at) {
        return (FloatVector) ByteVector.fromMemorySegment(B, q, at, java.nio.ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.B2F, F, 0);
    }
}
