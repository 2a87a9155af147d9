package dev.goldfinch.engine.model;

/** The Llama baseline's attention: q, k, v projections, RoPE, causal softmax attention, output projection. */
final class LlamaTimeMix implements Mixer {
    private final int heads, n, a;
    private final Linear wq, wk, wv, wo;
    private final Rope rope;

    LlamaTimeMix(Weights w, ModelConfig cfg) {
        int d = cfg.dModel();
        a = cfg.dAtt();
        heads = cfg.heads();
        n = cfg.headSize();
        wq = w.linear("wq.weight", a, d);
        wk = w.linear("wk.weight", a, d);
        wv = w.linear("wv.weight", a, d);
        wo = w.linear("wo.weight", d, a);
        rope = cfg.ropeBase() > 0 ? new Rope(cfg.ropeBase(), n) : null;
    }

    @Override
    public float[] forward(float[] y, int rows, LayerState s, Step step) {
        float[] q = wq.apply(y, rows), k = wk.apply(y, rows), v = wv.apply(y, rows);
        if (rope != null) {
            rope.apply(q, rows, a, step.start());
            rope.apply(k, rows, a, step.start());
        }
        s.kv.append(k, v, rows, step.start());
        return wo.apply(Attention.causal(q, rows, step, s.kv, heads, n), rows);
    }

    @Override
    public java.util.List<Linear> products() {
        return java.util.List.of(wq, wk, wv, wo);
    }

}
