package dev.goldfinch.engine.model;

/** RWKV-7's channel mix: value · relu(key · (y + dx ⊙ x_k))², with no receptance gate (unlike x060's). */
final class Rwkv7ChannelMix implements Mixer {
    private final int d;
    private final float[] mixK;
    private final Linear key, value;

    Rwkv7ChannelMix(Weights w, ModelConfig cfg) {
        d = cfg.dModel();
        int f = cfg.dFfn();
        mixK = w.vector("x_k", d);
        key = w.linear("key.weight", f, d);
        value = w.linear("value.weight", d, f);
    }

    @Override
    public float[] forward(float[] y, int rows, LayerState s, Step step) {
        float[] dx = Ops.tokenShift(y, rows, d, s.ffnShift);
        float[] k = key.applyInto(Ops.mix(y, dx, mixK, rows, d), rows, RwkvChannelMix.HIDDEN.floats(rows * key.out));
        Ops.squaredRelu(k, rows * key.out);
        return value.apply(k, rows);
    }

    @Override
    public java.util.List<Linear> products() {
        return java.util.List.of(key, value);
    }
}
