package dev.goldfinch.engine.model;

import dev.goldfinch.engine.kernel.Int8MatMul;
import dev.goldfinch.engine.kernel.Int8Matrix;
import dev.goldfinch.engine.kernel.MatMul;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A linear map y = W·x with W stored [out, in]. Large ones stay in the mapped checkpoint. */
final class Linear {
    final Tensor weight;
    /** The int8 copy when weights are held as int8; then {@link #weight} is not read. */
    final Int8Matrix int8;
    final int out;
    final int in;

    Linear(Tensor weight) {
        this(weight, null);
    }

    private Linear(Tensor weight, Int8Matrix int8) {
        if (weight.rank() != 2) throw new IllegalArgumentException(weight.name() + " is not a matrix");
        this.weight = weight;
        this.int8 = int8;
        this.out = (int) weight.size(0);
        this.in = (int) weight.size(1);
    }

    /** A stored linear map held as its int8 copy q. */
    static Linear int8(Tensor w, Int8Matrix q) {
        return new Linear(w, q);
    }

    /** A linear map stored [out, in] in the checkpoint; f16 is widened once (no f16 kernel). */
    static Linear stored(Tensor w) {
        return new Linear(w.dtype() == DType.F16 ? copyToF32(w.name(), w.toFloats(), w.shape()) : w);
    }

    /**
     * A LoRA factor stored [in, out] (used as x·W): transposed once into a small off-heap float32 matrix so
     * the same kernel serves it. {@code slab} picks one [in, out] matrix out of a stacked [k, in, out].
     */
    static Linear loraFactor(Tensor w, int slab) {
        int in = (int) w.size(-2), out = (int) w.size(-1);
        float[] all = w.toFloats();
        float[] t = new float[in * out];
        int base = slab * in * out;
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) t[o * in + i] = all[base + i * out + o];
        }
        return new Linear(copyToF32(w.name() + "[T]", t, new long[] {out, in}));
    }

    static Linear loraFactor(Tensor w) {
        return loraFactor(w, 0);
    }

    private static Tensor copyToF32(String name, float[] values, long[] shape) {
        MemorySegment seg = Arena.ofAuto().allocate((long) values.length * 4, 64);
        MemorySegment.copy(values, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0, values.length);
        return new Tensor(name, DType.F32, shape, seg);
    }

    float[] apply(float[] x, int rows) {
        return applyInto(x, rows, new float[rows * out]);
    }

    /** y[0, rows·out) = W·x for rows of x (both may be longer, as a reused buffer is); returns y. */
    float[] applyInto(float[] x, int rows, float[] y) {
        if (int8 != null) Int8MatMul.matmul(int8, x, rows, y);
        else MatMul.matmul(weight, x, rows, y);
        return y;
    }

    /** Multiply-add FLOPs of one row: a multiply and an add per weight. */
    long flops() {
        return 2L * out * in;
    }

    /** Bytes read per application: what decoding streams from memory. */
    long bytes() {
        return int8 != null ? int8.bytes() : weight.data().byteSize();
    }

}
