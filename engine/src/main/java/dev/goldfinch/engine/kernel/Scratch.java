package dev.goldfinch.engine.kernel;

/**
 * A float buffer per thread that a hot loop reuses from call to call instead of allocating one per operation (the
 * matmul's widened weights and transposed batch, a channel mix's hidden rows: megabytes per chunk, every block). What
 * it returns holds whatever the last user left and is valid until the next call on the same thread.
 */
public final class Scratch {
    private final ThreadLocal<float[]> local = ThreadLocal.withInitial(() -> new float[0]);

    /** At least n floats, not cleared. */
    public float[] floats(int n) {
        float[] s = local.get();
        if (s.length < n) {
            s = new float[n];
            local.set(s);
        }
        return s;
    }
}
