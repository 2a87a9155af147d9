package dev.goldfinch.engine.model;

/** The kinds of block the paper's checkpoints and RWKV-7 are made of, told apart by their tensor names. */
public enum LayerKind {
    /** Finch / RWKV-6 time mix (has att.gate). */
    X060(true),
    /** Finch-C2 time mix, the recurrent part of GoldFinch (has att.time_value2_w1). */
    X060C2(true),
    /** GOLD attention over the compressed cache (has att.time_maa_q). */
    GOLD(false),
    /** The paper's Llama-like transformer baseline (has att.wq). */
    LLAMA(false),
    /** RWKV-7 "Goose" time mix (has att.k_k and att.a0): generalised delta rule, value residual from layer 0. */
    X070(true);

    /** Recurrent layers carry a WKV state; the others attend over a cache. */
    public final boolean recurrent;

    LayerKind(boolean recurrent) {
        this.recurrent = recurrent;
    }
}
