package dev.goldfinch.engine.model;

/** RWKV-6's data-dependent decay: d = exp(−exp(time_decay + tanh(xw·W1)·W2)), per row and channel. */
final class Decay {
    private final int a;
    private final float[] base;
    private final Linear w1, w2;

    Decay(Weights w, int d, int a) {
        this.a = a;
        base = w.vector("time_decay", a);
        int rank = (int) w.tensor("time_decay_w1").size(1);
        w1 = Linear.loraFactor(w.tensor("time_decay_w1", d, rank));
        w2 = Linear.loraFactor(w.tensor("time_decay_w2", rank, a));
    }

    float[] of(float[] xw, int rows) {
        float[] h = w1.apply(xw, rows);
        Ops.tanh(h);
        float[] w = w2.apply(h, rows);
        for (int t = 0; t < rows; t++) {
            for (int i = 0; i < a; i++) w[t * a + i] = (float) Math.exp(-Math.exp(base[i] + w[t * a + i]));
        }
        return w;
    }

    java.util.List<Linear> products() {
        return java.util.List.of(w1, w2);
    }

}
