package dev.goldfinch.engine.model;

/**
 * RWKV-6's data-dependent token shift, shared by Finch and Finch-C2: m = tanh((y + dx ⊙ time_maa_x)·W1) split
 * into five blocks, and term i = m_i·W2[i]. What each term mixes (w, k, v, r, g or r, k, v, w, v2) is the caller's.
 */
final class DataDependentShift {
    private final int d, width;
    private final float[] maaX;
    private final Linear w1;
    private final Linear[] w2 = new Linear[5];

    DataDependentShift(Weights w, int d) {
        this.d = d;
        maaX = w.vector("time_maa_x", d);
        width = (int) w.tensor("time_maa_w1").size(1) / 5;
        w1 = Linear.loraFactor(w.tensor("time_maa_w1", d, 5L * width));
        var stacked = w.tensor("time_maa_w2", 5, width, d);
        for (int i = 0; i < 5; i++) w2[i] = Linear.loraFactor(stacked, i);
    }

    /** The five LoRA terms, each [rows, D]. */
    float[][] terms(float[] y, float[] dx, int rows) {
        float[] m = w1.apply(Ops.mix(y, dx, maaX, rows, d), rows);
        Ops.tanh(m);
        float[][] out = new float[5][];
        for (int i = 0; i < 5; i++) out[i] = w2[i].apply(Ops.columns(m, rows, 5 * width, i * width, width), rows);
        return out;
    }

    /** W1 and the five blocks of W2. */
    java.util.List<Linear> products() {
        return java.util.List.of(w1, w2[0], w2[1], w2[2], w2[3], w2[4]);
    }

}
