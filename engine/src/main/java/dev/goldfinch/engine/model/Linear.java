package dev.goldfinch.engine.model;

import dev.goldfinch.engine.kernel.Int8MatMul;
import dev.goldfinch.engine.kernel.Int8Matrix;
import dev.goldfinch.engine.kernel.LoraMatMul;
import dev.goldfinch.engine.kernel.MatMul;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A linear map y = W·x with W stored [out, in]. Large ones stay in the mapped checkpoint. */
final class Linear {
    /** The stored matrix [out, in]; null for a LoRA factor, which {@link #factor} holds. */
    final Tensor weight;
    /** The int8 copy when weights are held as int8; then {@link #weight} is not read. */
    final Int8Matrix int8;
    /** A LoRA factor as {@link LoraMatMul} packs it: [in, out] with padded rows. */
    final float[] factor;
    final int out;
    final int in;

    Linear(Tensor weight) {
        this(weight, null);
    }

    private Linear(Tensor weight, Int8Matrix int8) {
        if (weight.rank() != 2) throw new IllegalArgumentException(weight.name() + " is not a matrix");
        this.weight = weight;
        this.int8 = int8;
        this.factor = null;
        this.out = (int) weight.size(0);
        this.in = (int) weight.size(1);
    }

    private Linear(int out, int in, float[] factor) {
        this.weight = null;
        this.int8 = null;
        this.factor = factor;
        this.out = out;
        this.in = in;
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
     * A LoRA factor stored [in, out] (used as x·W): copied once, in that layout, into a small float32 array for
     * {@link LoraMatMul}. {@code slab} picks one [in, out] matrix out of a stacked [k, in, out].
     */
    static Linear loraFactor(Tensor w, int slab) {
        int in = (int) w.size(-2), out = (int) w.size(-1);
        return new Linear(out, in, LoraMatMul.pack(w.toFloats(), slab * in * out, in, out));
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
        if (factor != null) LoraMatMul.matmul(factor, in, out, x, rows, y);
        else if (int8 != null) Int8MatMul.matmul(int8, x, rows, y);
        else MatMul.matmul(weight, x, rows, y);
        return y;
    }

    /** Multiply-add FLOPs of one row: a multiply and an add per weight. */
    long flops() {
        return 2L * out * in;
    }

    /** Bytes read per application: what decoding streams from memory. */
    long bytes() {
        if (factor != null) return 4L * factor.length;
        return int8 != null ? int8.bytes() : weight.data().byteSize();
    }

}
