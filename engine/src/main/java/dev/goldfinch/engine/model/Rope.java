package dev.goldfinch.engine.model;

/**
 * Rotary position embedding: within each head, channel pair (2i, 2i+1) is a complex number multiplied by
 * exp(i·p·base^(−2i/N)) at absolute position p. Only scores' position differences matter, so any
 * consistent origin gives the reference's results.
 */
final class Rope {
    private final double[] frequencies;
    private final int headSize;

    Rope(double base, int headSize) {
        this.headSize = headSize;
        frequencies = new double[headSize / 2];
        for (int i = 0; i < frequencies.length; i++) frequencies[i] = Math.pow(base, -(2.0 * i) / headSize);
    }

    /** Rotates rows [T, heads·N] whose first row is at position start. */
    void apply(float[] x, int rows, int width, int start) {
        for (int t = 0; t < rows; t++) {
            int p = start + t;
            for (int i = 0; i < frequencies.length; i++) {
                double angle = p * frequencies[i];
                float cos = (float) Math.cos(angle), sin = (float) Math.sin(angle);
                for (int off = t * width + 2 * i; off < (t + 1) * width; off += headSize) {
                    float re = x[off], im = x[off + 1];
                    x[off] = re * cos - im * sin;
                    x[off + 1] = re * sin + im * cos;
                }
            }
        }
    }
}
