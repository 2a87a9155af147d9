package dev.goldfinch.engine.model;

/** One residual block: x += TimeMix(LN1(x)); x += ChannelMix(LN2(x)). */
record Block(LayerKind kind, LayerNorm ln1, Mixer timeMix, LayerNorm ln2, Mixer channelMix) {

    static Block load(Weights w, ModelConfig cfg, LayerKind kind, int index) {
        int d = cfg.dModel();
        Weights att = w.child("att."), ffn = w.child("ffn.");
        Mixer tm = switch (kind) {
            case X060 -> new FinchTimeMix(att, cfg);
            case X060C2 -> new FinchC2TimeMix(att, cfg);
            case GOLD -> new GoldTimeMix(att, cfg);
            case LLAMA -> new LlamaTimeMix(att, cfg);
            case X070 -> new Rwkv7TimeMix(att, cfg, index == 0);
        };
        Mixer cm = switch (kind) {
            case LLAMA -> new LlamaFeedForward(ffn, cfg);
            case X070 -> new Rwkv7ChannelMix(ffn, cfg);
            default -> new RwkvChannelMix(ffn, cfg);
        };
        return new Block(kind, w.layerNorm("ln1", d), tm, w.layerNorm("ln2", d), cm);
    }

    void forward(float[] x, int rows, LayerState state, Step step) {
        Ops.addInPlace(x, timeMix.forward(ln1.apply(x, rows), rows, state, step));
        Ops.addInPlace(x, channelMix.forward(ln2.apply(x, rows), rows, state, step));
    }
}
