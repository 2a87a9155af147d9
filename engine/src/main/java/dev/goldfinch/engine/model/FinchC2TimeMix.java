package dev.goldfinch.engine.model;

/**
 * Finch-C2 (x060c2) time mix, GoldFinch's recurrent layers: no gate and no bonus; k scaled by (1 − decay);
 * a second value path v2 added to the WKV output; a LayerNorm over all A channels.
 */
final class FinchC2TimeMix implements Mixer {
    private final int d, a, heads, n;
    private final float[] maaR, maaK, maaV, maaW, maaV2;
    private final DataDependentShift shift;
    private final Decay decay;
    private final Linear value2W1, value2W2, receptance, key, value, output;
    private final LayerNorm lnX;

    FinchC2TimeMix(Weights w, ModelConfig cfg) {
        d = cfg.dModel();
        a = cfg.dAtt();
        heads = cfg.heads();
        n = cfg.headSize();
        shift = new DataDependentShift(w, d);
        maaR = w.vector("time_maa_r", d);
        maaK = w.vector("time_maa_k", d);
        maaV = w.vector("time_maa_v", d);
        maaW = w.vector("time_maa_w", d);
        maaV2 = w.vector("time_maa_v2", d);
        decay = new Decay(w, d, a);
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
        float[][] lora = shift.terms(y, dx, rows); // x060c2 order: r, k, v, w, v2
        float[] xv2 = Ops.mix(y, dx, maaV2, lora[4], rows, d);
        float[] r = receptance.apply(Ops.mix(y, dx, maaR, lora[0], rows, d), rows);
        float[] k = key.apply(Ops.mix(y, dx, maaK, lora[1], rows, d), rows);
        float[] v = value.apply(Ops.mix(y, dx, maaV, lora[2], rows, d), rows);
        float[] v2 = value.apply(xv2, rows);
        float[] h = value2W1.apply(xv2, rows);
        Ops.tanh(h);
        Ops.addInPlace(v2, value2W2.apply(h, rows));
        float[] decayRate = decay.of(Ops.mix(y, dx, maaW, lora[3], rows, d), rows);
        for (int i = 0; i < k.length; i++) k[i] *= 1 - decayRate[i];
        float[] o = Wkv.run(r, k, v, decayRate, null, rows, heads, n, s.wkv);
        Ops.addInPlace(o, v2);
        return output.apply(lnX.apply(o, rows), rows);
    }

    @Override
    public java.util.List<Linear> products() {
        java.util.List<Linear> p = new java.util.ArrayList<>(shift.products());
        p.addAll(decay.products());
        p.addAll(java.util.List.of(value2W1, value2W2, receptance, key, value, value, output)); // value makes v and v2
        return p;
    }

}
