package dev.goldfinch.engine.model;

/** Finch (RWKV-6, x060) time mix: data-dependent token shift and decay, WKV with bonus u, gated GroupNorm output. */
final class FinchTimeMix implements Mixer {
    /** GroupNorm eps of the reference: 1e-5 · head_size_divisor² (= 64). */
    static final float GROUP_NORM_EPS = 1e-5f * 64;

    private final int d, a, heads, n;
    private final float[] maaW, maaK, maaV, maaR, maaG, faaaa;
    private final DataDependentShift shift;
    private final Decay decay;
    private final Linear receptance, key, value, gate, output;
    private final LayerNorm lnX;

    FinchTimeMix(Weights w, ModelConfig cfg) {
        d = cfg.dModel();
        a = cfg.dAtt();
        heads = cfg.heads();
        n = cfg.headSize();
        shift = new DataDependentShift(w, d);
        maaW = w.vector("time_maa_w", d);
        maaK = w.vector("time_maa_k", d);
        maaV = w.vector("time_maa_v", d);
        maaR = w.vector("time_maa_r", d);
        maaG = w.vector("time_maa_g", d);
        decay = new Decay(w, d, a);
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
        float[][] lora = shift.terms(y, dx, rows); // x060 order: w, k, v, r, g
        float[] r = receptance.apply(Ops.mix(y, dx, maaR, lora[3], rows, d), rows);
        float[] k = key.apply(Ops.mix(y, dx, maaK, lora[1], rows, d), rows);
        float[] v = value.apply(Ops.mix(y, dx, maaV, lora[2], rows, d), rows);
        float[] g = gate.apply(Ops.mix(y, dx, maaG, lora[4], rows, d), rows);
        for (int i = 0; i < g.length; i++) g[i] = Ops.silu(g[i]);
        float[] decayRate = decay.of(Ops.mix(y, dx, maaW, lora[0], rows, d), rows);
        float[] o = Wkv.run(r, k, v, decayRate, faaaa, rows, heads, n, s.wkv);
        groupNorm(o, rows);
        for (int i = 0; i < o.length; i++) o[i] *= g[i];
        return output.apply(o, rows);
    }

    private void groupNorm(float[] o, int rows) {
        for (int t = 0; t < rows; t++) {
            for (int h = 0; h < heads; h++) {
                Ops.layerNorm(o, t * a + h * n, n, lnX.weight(), lnX.bias(), h * n, GROUP_NORM_EPS, o);
            }
        }
    }

    @Override
    public java.util.List<Linear> products() {
        java.util.List<Linear> p = new java.util.ArrayList<>(shift.products());
        p.addAll(decay.products());
        p.addAll(java.util.List.of(receptance, key, value, gate, output));
        return p;
    }

}
