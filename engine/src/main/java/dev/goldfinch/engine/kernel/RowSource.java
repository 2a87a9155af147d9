package dev.goldfinch.engine.kernel;

/**
 * A weight matrix [out, in] as the batch kernels read it: any rows' columns widened to float32. Stored weights (f32,
 * bf16) and int8 weights share the batch kernels through it; only the widening differs.
 */
@FunctionalInterface
interface RowSource {
    /** Rows o … o+count−1, columns k0 … k0+kn−1, as float32 row-major [count][kn] into dst. */
    void widen(int o, int count, int k0, int kn, float[] dst);
}
