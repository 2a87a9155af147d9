package dev.goldfinch.engine.checkpoint;

import dev.goldfinch.engine.tensor.DType;

/**
 * What {@code _rebuild_tensor_v2/v3(storage, storage_offset, size, stride, ...)} describes: a view of
 * {@code shape} starting {@code offset} elements into a storage. Only a descriptor: no bytes are touched.
 */
record TensorRef(StorageRef storage, DType dtype, long offset, long[] shape, long[] stride) {

    /** Element count; -1 if it overflows a long (a forged shape). */
    long numel() {
        long n = 1;
        for (long d : shape) {
            if (d < 0) return -1;
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return n;
    }

    /**
     * Whether the elements are laid out densely in C order, as torch's is_contiguous() decides: the stride
     * of a dimension of size 1 is irrelevant (it is never stepped over), and an empty tensor is contiguous.
     */
    boolean isContiguous() {
        if (stride.length != shape.length) return false;
        if (numel() == 0) return true;
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }
}
