package dev.goldfinch.engine.model;

/** Finch (RWKV-6, x060) time mix: data-dependent token shift and decay, WKV with bonus u, gated GroupNorm output. */
final class FinchTimeMix implements Mixer {
    /** GroupNorm eps of the reference: 1e-5 · head_size_divisor² (= 64). */
    static final float GROUP_NORM_EPS = 1e-5f * 64;

    private final int d, a, heads, n, rm;
    private final float[] maaX, maaW, maaK, maaV, maaR, maaG, decay, faaaa;
    private final Linear maaW1;
    private final Linear[] maaW2 = new Linear[5];
    private final Linear decayW1, decayW2, receptance, key, value, gate, output;
    private final LayerNorm lnX;

    FinchTimeMix(Weights w, ModelConfig cfg) {
        d = cfg.dModel();
        a = cfg.dAtt();
        heads = cfg.heads();
        n = cfg.headSize();
        maaX = w.vector("time_maa_x", d);
        maaW = w.vector("time_maa_w", d);
        maaK = w.vector("time_maa_k", d);
        maaV = w.vector("time_maa_v", d);
        maaR = w.vector("time_maa_r", d);
        maaG = w.vector("time_maa_g", d);
        var w1 = w.tensor("time_maa_w1");
        rm = (int) w1.size(1) / 5;
        maaW1 = Linear.loraFactor(w.tensor("time_maa_w1", d, 5L * rm));
        var w2 = w.tensor("time_maa_w2", 5, rm, d);
        for (int i = 0; i < 5; i++) maaW2[i] = Linear.loraFactor(w2, i);
        decay = w.vector("time_decay", a);
        int rd = (int) w.tensor("time_decay_w1").size(1);
        decayW1 = Linear.loraFactor(w.tensor("time_decay_w1", d, rd));
        decayW2 = Linear.loraFactor(w.tensor("time_decay_w2", rd, a));
        faaaa = w.vector("time_faaaa", a);
        receptance = w.linear("receptance.weight", a, d);
        key = w.linear("key.weight", a, d);
        value = w.linear("value.weight", a, d);
        gate = w.linear("gate.weight", a, d);
        output = w.linear("output.weight", d, a);
        lnX = w.layerNorm("ln_x", a);
    }

    @Override
    public float[] forward(float[] y, int rows, LayerState s, Step step) {
        float[] dx = Ops.tokenShift(y, rows, d, s.attShift);
        float[] m = maaW1.apply(Ops.mix(y, dx, maaX, rows, d), rows);
        Ops.tanh(m);
        float[][] lora = new float[5][];
        for (int i = 0; i < 5; i++) lora[i] = maaW2[i].apply(Ops.columns(m, rows, 5 * rm, i * rm, rm), rows);
        // x060 order: w, k, v, r, g
        float[] xw = Ops.mix(y, dx, maaW, lora[0], rows, d);
        float[] xk = Ops.mix(y, dx, maaK, lora[1], rows, d);
        float[] xv = Ops.mix(y, dx, maaV, lora[2], rows, d);
        float[] xr = Ops.mix(y, dx, maaR, lora[3], rows, d);
        float[] xg = Ops.mix(y, dx, maaG, lora[4], rows, d);
        float[] r = receptance.apply(xr, rows);
        float[] k = key.apply(xk, rows);
        float[] v = value.apply(xv, rows);
        float[] g = gate.apply(xg, rows);
        for (int i = 0; i < g.length; i++) g[i] = Ops.silu(g[i]);
        float[] decayRate = decays(decay, decayW1, decayW2, xw, rows, a);
        float[] o = Wkv.run(r, k, v, decayRate, faaaa, rows, heads, n, s.wkv);
        groupNorm(o, rows);
        for (int i = 0; i < o.length; i++) o[i] *= g[i];
        return output.apply(o, rows);
    }

    /** d = exp(−exp(time_decay + tanh(xw·W1)·W2)), per row and channel. */
    static float[] decays(float[] base, Linear w1, Linear w2, float[] xw, int rows, int a) {
        float[] h = w1.apply(xw, rows);
        Ops.tanh(h);
        float[] w = w2.apply(h, rows);
        for (int t = 0; t < rows; t++) {
            for (int i = 0; i < a; i++) w[t * a + i] = (float) Math.exp(-Math.exp(base[i] + w[t * a + i]));
        }
        return w;
    }

    private void groupNorm(float[] o, int rows) {
        for (int t = 0; t < rows; t++) {
            for (int h = 0; h < heads; h++) {
                Ops.layerNorm(o, t * a + h * n, n, lnX.weight(), lnX.bias(), h * n, GROUP_NORM_EPS, o);
            }
        }
    }

    @Override
    public java.util.List<Linear> matrices() {
        return java.util.List.of(receptance, key, value, gate, output);
    }

    @Override
    public long parameters() {
        return receptance.parameters() + key.parameters() + value.parameters() + gate.parameters() + output.parameters()
                + maaW1.parameters() + 5 * maaW2[0].parameters() + decayW1.parameters() + decayW2.parameters() + 8L * d + 3L * a;
    }
}
