package dev.goldfinch.engine.tensor;

/** Element types a checkpoint storage can hold; all are widened to float32 for arithmetic. */
public enum DType {
    F32(4), BF16(2), F16(2);

    public final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }
}
