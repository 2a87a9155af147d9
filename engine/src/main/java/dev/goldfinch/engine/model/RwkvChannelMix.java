package dev.goldfinch.engine.model;

import dev.goldfinch.engine.kernel.Scratch;

/** The x060 channel mix of every Finch, Finch-C2 and GOLD block: sigmoid(R·xr) ⊙ V·relu(K·xk)². */
final class RwkvChannelMix implements Mixer {
    private final int d;
    private final float[] maaK, maaR;
    private final Linear key, value, receptance;
    /** The hidden rows relu(K·xk)², used only until V has read them: one buffer per thread for every channel mix. */
    static final Scratch HIDDEN = new Scratch();

    RwkvChannelMix(Weights w, ModelConfig cfg) {
        d = cfg.dModel();
        int f = cfg.dFfn();
        maaK = w.vector("time_maa_k", d);
        maaR = w.vector("time_maa_r", d);
        key = w.linear("key.weight", f, d);
        value = w.linear("value.weight", d, f);
        receptance = w.linear("receptance.weight", d, d);
    }

    @Override
    public float[] forward(float[] y, int rows, LayerState s, Step step) {
        float[] dx = Ops.tokenShift(y, rows, d, s.ffnShift);
        float[] k = key.applyInto(Ops.mix(y, dx, maaK, rows, d), rows, HIDDEN.floats(rows * key.out));
        Ops.squaredRelu(k, rows * key.out);
        float[] v = value.apply(k, rows);
        float[] r = receptance.apply(Ops.mix(y, dx, maaR, rows, d), rows);
        for (int i = 0; i < v.length; i++) v[i] *= Ops.sigmoid(r[i]);
        return v;
    }

    @Override
    public java.util.List<Linear> products() {
        return java.util.List.of(key, value, receptance);
    }

}
