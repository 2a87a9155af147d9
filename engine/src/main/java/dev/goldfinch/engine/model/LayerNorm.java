package dev.goldfinch.engine.model;

/** LayerNorm parameters (eps 1e-5, biased variance, as torch's nn.LayerNorm). */
record LayerNorm(float[] weight, float[] bias) {

    float[] apply(float[] x, int rows) {
        float[] out = new float[x.length];
        Ops.layerNorm(x, rows, weight.length, weight, bias, Ops.LN_EPS, out);
        return out;
    }
}
