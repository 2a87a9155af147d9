package dev.goldfinch.engine.model;

/**
 * Finch-C2 (x060c2) time mix, GoldFinch's recurrent layers: no gate and no bonus; k scaled by (1 − decay);
 * a second value path v2 added to the WKV output; a LayerNorm over all A channels.
 */
final class FinchC2TimeMix implements Mixer {
    private final int d, a, heads, n, rm;
    private final float[] maaX, maaR, maaK, maaV, maaW, maaV2, decay;
    private final Linear maaW1;
    private final Linear[] maaW2 = new Linear[5];
    private final Linear decayW1, decayW2, value2W1, value2W2, receptance, key, value, output;
    private final LayerNorm lnX;

    FinchC2TimeMix(Weights w, ModelConfig cfg) {
        d = cfg.dModel();
        a = cfg.dAtt();
        heads = cfg.heads();
        n = cfg.headSize();
        maaX = w.vector("time_maa_x", d);
        maaR = w.vector("time_maa_r", d);
        maaK = w.vector("time_maa_k", d);
        maaV = w.vector("time_maa_v", d);
        maaW = w.vector("time_maa_w", d);
        maaV2 = w.vector("time_maa_v2", d);
        rm = (int) w.tensor("time_maa_w1").size(1) / 5;
        maaW1 = Linear.loraFactor(w.tensor("time_maa_w1", d, 5L * rm));
        var w2 = w.tensor("time_maa_w2", 5, rm, d);
        for (int i = 0; i < 5; i++) maaW2[i] = Linear.loraFactor(w2, i);
        decay = w.vector("time_decay", a);
        int rd = (int) w.tensor("time_decay_w1").size(1);
        decayW1 = Linear.loraFactor(w.tensor("time_decay_w1", d, rd));
        decayW2 = Linear.loraFactor(w.tensor("time_decay_w2", rd, a));
        int rv = (int) w.tensor("time_value2_w1").size(1);
        value2W1 = Linear.loraFactor(w.tensor("time_value2_w1", d, rv));
        value2W2 = Linear.loraFactor(w.tensor("time_value2_w2", rv, a));
        receptance = w.linear("receptance.weight", a, d);
        key = w.linear("key.weight", a, d);
        value = w.linear("value.weight", a, d);
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
        // x060c2 order: r, k, v, w, v2
        float[] xr = Ops.mix(y, dx, maaR, lora[0], rows, d);
        float[] xk = Ops.mix(y, dx, maaK, lora[1], rows, d);
        float[] xv = Ops.mix(y, dx, maaV, lora[2], rows, d);
        float[] xw = Ops.mix(y, dx, maaW, lora[3], rows, d);
        float[] xv2 = Ops.mix(y, dx, maaV2, lora[4], rows, d);
        float[] r = receptance.apply(xr, rows);
        float[] k = key.apply(xk, rows);
        float[] v = value.apply(xv, rows);
        float[] v2 = value.apply(xv2, rows);
        float[] h = value2W1.apply(xv2, rows);
        Ops.tanh(h);
        Ops.addInPlace(v2, value2W2.apply(h, rows));
        float[] decayRate = FinchTimeMix.decays(decay, decayW1, decayW2, xw, rows, a);
        for (int i = 0; i < k.length; i++) k[i] *= 1 - decayRate[i];
        float[] o = Wkv.run(r, k, v, decayRate, null, rows, heads, n, s.wkv);
        Ops.addInPlace(o, v2);
        return output.apply(lnX.apply(o, rows), rows);
    }

    @Override
    public java.util.List<Linear> matrices() {
        return java.util.List.of(receptance, key, value, output);
    }

    @Override
    public long parameters() {
        return receptance.parameters() + key.parameters() + value.parameters() + output.parameters() + maaW1.parameters()
                + 5 * maaW2[0].parameters() + decayW1.parameters() + decayW2.parameters() + value2W1.parameters()
                + value2W2.parameters() + 6L * d + 4L * a;
    }
}
