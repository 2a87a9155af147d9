package dev.goldfinch.engine.model;

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

    /** k and v of new cached positions, from kc and xo of each position and of the one before it. */
    void appendKeysValues(GoldInputs in, KvCache kv) {
        int rows = in.rows();
        float[] xo = in.xo(), dxo = in.dxo(), kc = in.kc(), dkc = in.dkc();
        float[] m = kvW1.apply(Ops.mix(xo, dxo, maaVCache, rows, d), rows);
        Ops.tanh(m);
        int half = m.length / rows / 2;
        float[] mk = kvW2k.apply(Ops.columns(m, rows, 2 * half, 0, half), rows);
        float[] mv = kvW2v.apply(Ops.columns(m, rows, 2 * half, half, half), rows);
        float[] k = Ops.mix(kc, dkc, maaK, mk, rows, a);
        float[] v = Ops.mix(xo, dxo, maaV, mv, rows, d);
        addLora(k, keyW1, keyW2, rows);
        addLora(v, valueW1, valueW2, rows);
        k = lnK.apply(k, rows);
        v = lnV.apply(v, rows);
        if (rope != null) rope.apply(k, rows, a, in.start());
        kv.append(k, v, rows, in.start());
    }

    private static void addLora(float[] x, Linear w1, Linear w2, int rows) {
        float[] h = w1.apply(x, rows);
        Ops.tanh(h);
        Ops.addInPlace(x, w2.apply(h, rows));
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
