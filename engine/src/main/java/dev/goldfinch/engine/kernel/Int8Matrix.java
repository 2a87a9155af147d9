package dev.goldfinch.engine.kernel;

import dev.goldfinch.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A weight matrix [out, in] held as int8 with one float scale per block of {@code block} inputs of each row:
 * w[o][i] ≈ q[o][i] · scale[o][i / block], with scale = max |w| of the block / 127. Half the bytes of bf16, a quarter
 * of f32; decoding streams weights, so it takes about half the time of bf16.
 */
public record Int8Matrix(String name, int out, int in, int block, MemorySegment values, MemorySegment scales) {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

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
        long base = (long) o * in;
        for (int b = 0; b < blocksPerRow(); b++) {
            float scale = scale(o, b);
            for (int i = b * block; i < (b + 1) * block; i++) dst[i] = values.get(ValueLayout.JAVA_BYTE, base + i) * scale;
        }
    }

    public long bytes() {
        return values.byteSize() + scales.byteSize();
    }
}
