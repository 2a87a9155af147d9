package dev.goldfinch.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A dense, C-ordered tensor whose elements live in a {@link MemorySegment}: usually a slice of the
 * memory-mapped checkpoint, so weights are never copied onto the heap.
 */
public record Tensor(String name, DType dtype, long[] shape, MemorySegment data) {

    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public Tensor {
        long n = 1;
        for (long d : shape) n *= d;
        if (data.byteSize() != n * dtype.bytes) {
            throw new IllegalArgumentException("tensor " + name + ": " + data.byteSize() + " bytes for shape "
                    + Arrays.toString(shape) + " of " + dtype);
        }
    }

    public int rank() {
        return shape.length;
    }

    public long size(int dim) {
        return shape[dim < 0 ? shape.length + dim : dim];
    }

    public long elements() {
        return data.byteSize() / dtype.bytes;
    }

    /** Element i (flat index), widened to float32. */
    public float get(long i) {
        return switch (dtype) {
            case F32 -> data.getAtIndex(F32_LE, i);
            case BF16 -> Float.intBitsToFloat((data.getAtIndex(I16_LE, i) & 0xffff) << 16);
            case F16 -> Float.float16ToFloat(data.getAtIndex(I16_LE, i));
        };
    }

    /** All elements widened to a float32 heap array: for the small tensors (norms, mixes, LoRA factors). */
    public float[] toFloats() {
        long n = elements();
        if (n > Integer.MAX_VALUE) throw new IllegalStateException("tensor " + name + " too large for a heap copy");
        float[] out = new float[(int) n];
        for (int i = 0; i < out.length; i++) out[i] = get(i);
        return out;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
