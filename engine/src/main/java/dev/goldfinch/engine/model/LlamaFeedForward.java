package dev.goldfinch.engine.model;

/** The Llama baseline's SwiGLU feed-forward: w2 · (silu(w1·y) ⊙ w3·y). */
final class LlamaFeedForward implements Mixer {
    private final Linear w1, w2, w3;

    LlamaFeedForward(Weights w, ModelConfig cfg) {
        int d = cfg.dModel(), f = cfg.dFfn();
        w1 = w.linear("w1.weight", f, d);
        w2 = w.linear("w2.weight", d, f);
        w3 = w.linear("w3.weight", f, d);
    }

    @Override
    public float[] forward(float[] y, int rows, LayerState s, Step step) {
        float[] g = w1.apply(y, rows), u = w3.apply(y, rows);
        for (int i = 0; i < g.length; i++) g[i] = Ops.silu(g[i]) * u[i];
        return w2.apply(g, rows);
    }

    @Override
    public java.util.List<Linear> products() {
        return java.util.List.of(w1, w2, w3);
    }

}
