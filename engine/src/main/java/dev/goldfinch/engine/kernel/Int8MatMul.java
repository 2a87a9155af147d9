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

    /** Row o of W times x (one token). */
    static float dot(Int8Matrix w, int o, float[] x) {
        MemorySegment q = w.values();
        int in = w.in(), block = w.block(), nb = w.blocksPerRow();
        long base = (long) o * in;
        FloatVector total = FloatVector.zero(F);
        float tail = 0;
        for (int b = 0; b < nb; b++) {
            int start = b * block;
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            for (int bound = F.loopBound(block); i < bound; i += F.length()) {
                ByteVector bv = ByteVector.fromMemorySegment(B, q, base + start + i, java.nio.ByteOrder.LITTLE_ENDIAN);
                FloatVector wv = (FloatVector) bv.convertShape(VectorOperators.B2F, F, 0);
                acc = wv.fma(FloatVector.fromArray(F, x, start + i), acc);
            }
            float scale = w.scale(o, b);
            total = acc.fma(FloatVector.broadcast(F, scale), total);
            float rest = 0;
            for (; i < block; i++) rest += q.get(ValueLayout.JAVA_BYTE, base + start + i) * x[start + i];
            tail += rest * scale;
        }
        return Reduce.sum(total) + tail;
    }
}
