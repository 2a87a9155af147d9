package dev.goldfinch.engine.model;

/** LayerNorm parameters (eps 1e-5, biased variance, as torch's nn.LayerNorm). */
record LayerNorm(float[] weight, float[] bias) {

    float[] apply(float[] x, int rows) {
        return applyInto(x, rows, new float[x.length]);
    }

    /** The first rows of x, normalized into out (may be x; either may be longer, as a reused buffer is); returns out. */
    float[] applyInto(float[] x, int rows, float[] out) {
        Ops.layerNorm(x, rows, weight.length, weight, bias, Ops.LN_EPS, out);
        return out;
    }
}
