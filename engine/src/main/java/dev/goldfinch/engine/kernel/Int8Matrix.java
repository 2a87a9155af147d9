package dev.goldfinch.engine.kernel;

import dev.goldfinch.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * A weight matrix [out, in] held as int8 with one float scale per block of {@code block} inputs of each row:
 * w[o][i] ≈ q[o][i] · scale[o][i / block], with scale = max |w| of the block / 127. Half the bytes of bf16, a quarter
 * of f32; whether that makes decoding faster depends on how fast the machine turns bytes into floats (README,
 * "Performance").
 */
public record Int8Matrix(String name, int out, int in, int block, MemorySegment values, MemorySegment scales) {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VectorSpecies<Float> F = Vectors.FLOAT;
    /** As many bytes as F has lanes, so one byte vector widens to one float vector; none below 64 bits (128-bit F). */
    private static final VectorSpecies<Byte> B = F.vectorBitSize() >= 256 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 4)) : null;

    public int blocksPerRow() {
        return in / block;
    }

    /** The block size for rows of `in` inputs: 64 where it divides, else 32, else the whole row. */
    public static int blockFor(int in) {
        if (in % 64 == 0) return 64;
        if (in % 32 == 0) return 32;
        return in;
    }

    /** Quantizes a stored [out, in] matrix into memory of the given arena (rows in parallel). */
    public static Int8Matrix quantize(Tensor w, Arena arena) {
        int out = (int) w.size(0), in = (int) w.size(1), block = blockFor(in), nb = in / block;
        MemorySegment q = arena.allocate((long) out * in, 64);
        MemorySegment s = arena.allocate((long) out * nb * 4, 64);
        Parallel.forRange(out, 64, (from, to) -> {
            float[] row = new float[in];
            for (int o = from; o < to; o++) {
                long base = (long) o * in;
                for (int i = 0; i < in; i++) row[i] = w.get(base + i);
                for (int b = 0; b < nb; b++) {
                    float max = 0;
                    for (int i = b * block; i < (b + 1) * block; i++) max = Math.max(max, Math.abs(row[i]));
                    float scale = max / 127f;
                    s.setAtIndex(F32, (long) o * nb + b, scale);
                    for (int i = b * block; i < (b + 1) * block; i++) {
                        int v = scale == 0 ? 0 : Math.round(row[i] / scale);
                        q.set(ValueLayout.JAVA_BYTE, base + i, (byte) Math.max(-127, Math.min(127, v)));
                    }
                }
            }
        });
        return new Int8Matrix(w.name(), out, in, block, q, s);
    }

    public float scale(int row, int blockIndex) {
        return scales.getAtIndex(F32, (long) row * blocksPerRow() + blockIndex);
    }

    /** Row o, dequantized into dst[0, in). */
    public void dequantizeRow(int o, float[] dst) {
        widen(o, 1, 0, in, dst);
    }

    /** Rows o … o+count−1, columns k0 … k0+kn−1, dequantized into dst as row-major [count][kn]. */
    public void widen(int o, int count, int k0, int kn, float[] dst) {
        int lanes = F.length();
        for (int r = 0; r < count; r++) {
            long base = (long) (o + r) * in;
            int d = r * kn - k0;
            for (int i = k0, end = k0 + kn; i < end; ) {
                int b = i / block, stop = Math.min(end, (b + 1) * block);
                float scale = scale(o + r, b);
                for (; B != null && i + lanes <= stop; i += lanes) {
                    ByteVector q = ByteVector.fromMemorySegment(B, values, base + i, ByteOrder.LITTLE_ENDIAN);
                    ((FloatVector) q.convertShape(VectorOperators.B2F, F, 0)).mul(scale).intoArray(dst, d + i);
                }
                for (; i < stop; i++) dst[d + i] = values.get(ValueLayout.JAVA_BYTE, base + i) * scale;
            }
        }
    }

    public long bytes() {
        return values.byteSize() + scales.byteSize();
    }
}
