package dev.goldfinch.engine.model;

/**
 * A float buffer per thread that a hot loop reuses from call to call instead of allocating one per operation (a
 * channel mix's hidden rows are 3.5 times the model's width per token: megabytes per chunk, every block). What it
 * returns holds whatever the last user left and is valid until the next call on the same thread.
 */
final class Scratch {
    private final ThreadLocal<float[]> local = ThreadLocal.withInitial(() -> new float[0]);

    /** At least n floats, not cleared. */
    float[] floats(int n) {
        float[] s = local.get();
        if (s.length < n) {
            s = new float[n];
            local.set(s);
        }
        return s;
    }
}
