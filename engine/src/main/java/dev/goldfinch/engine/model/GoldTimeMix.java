package dev.goldfinch.engine.model;

import dev.goldfinch.engine.kernel.Scratch;

/**
 * GOLD attention (GoldFinch's layers c … L−1). Queries come from this block's input; keys and values come
 * from the compressed cache alone (kc_s and xo_s), so a cached position's k and v never change once made.
 */
final class GoldTimeMix implements Mixer {
    private final int d, a, heads, n;
    private final float[] maaX, maaQ, maaVCache, maaK, maaV;
    private final Linear qW1, qW2, kvW1, kvW2k, kvW2v, keyW1, keyW2, valueW1, valueW2, query, output;
    private final LayerNorm lnQ, lnK, lnV, lnX;
    private final Rope rope;

    GoldTimeMix(Weights w, ModelConfig cfg) {
        d = cfg.dModel();
        a = cfg.dAtt();
        heads = cfg.heads();
        n = cfg.headSize();
        maaX = w.vector("time_maa_x", d);
        maaQ = w.vector("time_maa_q", d);
        maaVCache = w.vector("time_maa_v_cache", d);
        maaK = w.vector("time_maa_k", a);
        maaV = w.vector("time_maa_v", d);
        int rq = (int) w.tensor("time_maa_q_w1").size(1);
        qW1 = Linear.loraFactor(w.tensor("time_maa_q_w1", d, rq));
        qW2 = Linear.loraFactor(w.tensor("time_maa_q_w2", rq, d));
        int rkv = (int) w.tensor("time_maa_kv_w2").size(1);
        kvW1 = Linear.loraFactor(w.tensor("time_maa_kv_w1", d, 2L * rkv));
        var kvW2 = w.tensor("time_maa_kv_w2", 2, rkv, d);
        kvW2k = Linear.loraFactor(kvW2, 0);
        kvW2v = Linear.loraFactor(kvW2, 1);
        int p = (int) w.tensor("time_key_w1").size(1);
        keyW1 = Linear.loraFactor(w.tensor("time_key_w1", a, p));
        keyW2 = Linear.loraFactor(w.tensor("time_key_w2", p, a));
        valueW1 = Linear.loraFactor(w.tensor("time_value_w1", a, p));
        valueW2 = Linear.loraFactor(w.tensor("time_value_w2", p, a));
        query = w.linear("query.weight", a, d);
        output = w.linear("output.weight", d, a);
        lnQ = w.layerNorm("ln_q", a);
        lnK = w.layerNorm("ln_k", a);
        lnV = w.layerNorm("ln_v", a);
        lnX = w.layerNorm("ln_x", a);
        rope = cfg.ropeBase() > 0 ? new Rope(cfg.ropeBase(), n) : null;
    }

    @Override
    public float[] forward(float[] y, int rows, LayerState s, Step step) {
        // The keys and values of these positions are already in s.kv: the model appends them from the
        // compressed cache before any GOLD layer runs (they do not depend on this layer's input).
        float[] dx = Ops.tokenShift(y, rows, d, s.attShift);
        float[] mq = qW1.apply(Ops.mix(y, dx, maaX, rows, d), rows);
        Ops.tanh(mq);
        float[] q = lnQ.apply(query.apply(Ops.mix(y, dx, maaQ, qW2.apply(mq, rows), rows, d), rows), rows);
        if (rope != null) rope.apply(q, rows, a, step.start());
        float[] o = Attention.causal(q, rows, step, s.kv, heads, n);
        return output.apply(lnX.apply(o, rows), rows);
    }

    /**
     * Rows per pass of {@link #appendKeysValues} (ten of the LoRA kernel's 6-token tiles): its buffers stay a few MB
     * per thread whatever the chunk. 30, 60, 120 and 256 rows were alike within this host's noise.
     */
    private static final int BLOCK = 60;
    /** appendKeysValues' per-thread buffers, reused from pass to pass (reopening 16k tokens made 2.6 GB of arrays). */
    private static final Scratch MIXED = new Scratch(), HIDDEN = new Scratch(), HALF = new Scratch(), TERM = new Scratch(),
            KEYS = new Scratch(), VALUES = new Scratch(), LORA_HIDDEN = new Scratch();

    /**
     * k and v of new cached positions, from kc and xo of each position and of the one before it. Every step is
     * row by row (a LoRA product gives the same floats for any number of rows), so the passes change no bit.
     */
    void appendKeysValues(GoldInputs in, KvCache kv) {
        int half = kvW1.out / 2;
        for (int r0 = 0; r0 < in.rows(); r0 += BLOCK) {
            int rows = Math.min(BLOCK, in.rows() - r0);
            float[] m = kvW1.applyInto(Ops.mix(in.xo(), in.dxo(), r0 * d, maaVCache, rows, d, MIXED.floats(rows * d)), rows,
                    HIDDEN.floats(rows * 2 * half));
            Ops.tanh(m, rows * 2 * half);
            float[] mh = HALF.floats(rows * half), term = TERM.floats(rows * Math.max(a, d));
            kvW2k.applyInto(Ops.columns(m, rows, 2 * half, 0, half, mh), rows, term);
            float[] k = Ops.mix(in.kc(), in.dkc(), r0 * a, maaK, term, rows, a, KEYS.floats(rows * a));
            kvW2v.applyInto(Ops.columns(m, rows, 2 * half, half, half, mh), rows, term);
            float[] v = Ops.mix(in.xo(), in.dxo(), r0 * d, maaV, term, rows, d, VALUES.floats(rows * d));
            addLora(k, keyW1, keyW2, rows, a, term);
            addLora(v, valueW1, valueW2, rows, d, term);
            lnK.applyInto(k, rows, k);
            lnV.applyInto(v, rows, v);
            if (rope != null) rope.apply(k, rows, a, in.start() + r0);
            kv.append(k, v, rows, in.start() + r0);
        }
    }

    /** x[0, rows·width) += w2·tanh(w1·x), with term as the buffer for w2's product. */
    private static void addLora(float[] x, Linear w1, Linear w2, int rows, int width, float[] term) {
        float[] h = w1.applyInto(x, rows, LORA_HIDDEN.floats(rows * w1.out));
        Ops.tanh(h, rows * w1.out);
        Ops.addInPlace(x, w2.applyInto(h, rows, term), rows * width);
    }

    @Override
    public java.util.List<Linear> products() {
        return java.util.List.of(qW1, qW2, query, output);
    }

    @Override
    public java.util.List<Linear> keyValueProducts() {
        return java.util.List.of(kvW1, kvW2k, kvW2v, keyW1, keyW2, valueW1, valueW2);
    }

}
