package dev.goldfinch.engine.model;

/**
 * RWKV-7 (x070) time mix, shared/spec/rwkv7-model.md: token-shifted inputs, a decay and an in-context learning rate
 * from LoRAs, the value residual (layer 0's values mixed into every later layer's), the normalised removal key κ,
 * the WKV-7 state update, GroupNorm with eps 64e-5, the r·k·r_k bonus and the output gate.
 */
final class Rwkv7TimeMix implements Mixer {
    /** GroupNorm eps of every RWKV-7 implementation (1e-5 · N for N = 64, but fixed, not scaled). */
    static final float GROUP_NORM_EPS = 64e-5f;
    /** The decay is exp(−e^(−1/2) · σ(·)), so it lies in (e^(−e^(−1/2)), 1) ≈ (0.545, 1). */
    private static final double DECAY_SCALE = Math.exp(-0.5);

    private final int c, heads, n;
    /** Layer 0 defines the value residual; the later layers receive it (layer 0's v0/v1/v2, if present, are unused). */
    private final boolean firstLayer;
    private final float[] mixR, mixW, mixK, mixV, mixA, mixG;
    private final float[] w0, a0, v0, keyScale, keyRate, bonus;
    private final Linear w1, w2, a1, a2, v1, v2, g1, g2;
    private final Linear receptance, key, value, output;
    private final LayerNorm lnX;

    Rwkv7TimeMix(Weights w, ModelConfig cfg, boolean firstLayer) {
        c = cfg.dModel();
        heads = cfg.heads();
        n = cfg.headSize();
        this.firstLayer = firstLayer;
        if (cfg.dAtt() != c) throw new IllegalArgumentException("RWKV-7 needs A = C");
        mixR = w.vector("x_r", c);
        mixW = w.vector("x_w", c);
        mixK = w.vector("x_k", c);
        mixV = w.vector("x_v", c);
        mixA = w.vector("x_a", c);
        mixG = w.vector("x_g", c);
        w0 = w.vector("w0", c);
        a0 = w.vector("a0", c);
        keyScale = w.vector("k_k", c);
        keyRate = w.vector("k_a", c);
        bonus = w.vector("r_k", c);
        w1 = lora(w, "w1", c, true);
        w2 = lora(w, "w2", c, false);
        a1 = lora(w, "a1", c, true);
        a2 = lora(w, "a2", c, false);
        g1 = lora(w, "g1", c, true);
        g2 = lora(w, "g2", c, false);
        if (firstLayer) {
            v0 = null;
            v1 = null;
            v2 = null;
        } else {
            v0 = w.vector("v0", c);
            v1 = lora(w, "v1", c, true);
            v2 = lora(w, "v2", c, false);
        }
        receptance = w.linear("receptance.weight", c, c);
        key = w.linear("key.weight", c, c);
        value = w.linear("value.weight", c, c);
        output = w.linear("output.weight", c, c);
        lnX = w.layerNorm("ln_x", c);
    }

    /** A LoRA factor [C, width] (first) or [width, C] (second); the width is read off the tensor's own shape. */
    private static Linear lora(Weights w, String name, int c, boolean first) {
        var t = w.tensor(name);
        int width = (int) (first ? t.size(-1) : t.size(-2));
        return Linear.loraFactor(first ? w.tensor(name, c, width) : w.tensor(name, width, c));
    }

    @Override
    public float[] forward(float[] y, int rows, LayerState s, Step step) {
        float[] dx = Ops.tokenShift(y, rows, c, s.attShift);
        float[] r = receptance.apply(Ops.mix(y, dx, mixR, rows, c), rows);
        float[] k = key.apply(Ops.mix(y, dx, mixK, rows, c), rows);
        float[] xv = Ops.mix(y, dx, mixV, rows, c);
        float[] v = value.apply(xv, rows);
        float[] decay = decay(Ops.mix(y, dx, mixW, rows, c), rows);
        float[] rate = a2.apply(a1.apply(Ops.mix(y, dx, mixA, rows, c), rows), rows);
        for (int t = 0; t < rows; t++) {
            for (int i = 0; i < c; i++) rate[t * c + i] = Ops.sigmoid(a0[i] + rate[t * c + i]);
        }
        float[] gate = g1.apply(Ops.mix(y, dx, mixG, rows, c), rows);
        for (int i = 0; i < gate.length; i++) gate[i] = Ops.sigmoid(gate[i]);
        gate = g2.apply(gate, rows);
        mixValueResidual(v, xv, rows, step);

        // κ = normalize_per_head(k ⊙ k_k) from k as the key map gave it; then k is rescaled by the learning rate.
        float[] removal = new float[rows * c];
        float[] removalRate = new float[rows * c];
        for (int t = 0; t < rows; t++) {
            for (int h = 0; h < heads; h++) {
                int off = t * c + h * n;
                double ss = 0;
                for (int j = 0; j < n; j++) {
                    float kk = k[off + j] * keyScale[h * n + j];
                    removal[off + j] = kk;
                    ss += (double) kk * kk;
                }
                float inv = (float) (1.0 / Math.max(Math.sqrt(ss), 1e-12));
                for (int j = 0; j < n; j++) {
                    removal[off + j] *= inv;
                    removalRate[off + j] = removal[off + j] * rate[off + j];
                }
            }
            for (int i = 0; i < c; i++) {
                int at = t * c + i;
                k[at] = k[at] * (1 + (rate[at] - 1) * keyRate[i]);
            }
        }

        float[] o = Wkv7.run(r, k, v, decay, removal, removalRate, rows, heads, n, s.wkv);
        for (int t = 0; t < rows; t++) {
            for (int h = 0; h < heads; h++) {
                int off = t * c + h * n;
                Ops.layerNorm(o, off, n, lnX.weight(), lnX.bias(), h * n, GROUP_NORM_EPS, o);
                float u = 0;
                for (int j = 0; j < n; j++) u += r[off + j] * k[off + j] * bonus[h * n + j];
                for (int j = 0; j < n; j++) o[off + j] = (o[off + j] + u * v[off + j]) * gate[off + j];
            }
        }
        return output.apply(o, rows);
    }

    /** w = exp(−e^(−1/2) · σ(w0 + tanh(xw·w1)·w2)). */
    private float[] decay(float[] xw, int rows) {
        float[] h = w1.apply(xw, rows);
        Ops.tanh(h);
        float[] z = w2.apply(h, rows);
        for (int t = 0; t < rows; t++) {
            for (int i = 0; i < c; i++) {
                double sig = 1.0 / (1.0 + Math.exp(-(w0[i] + z[t * c + i])));
                z[t * c + i] = (float) Math.exp(-DECAY_SCALE * sig);
            }
        }
        return z;
    }

    /** Layer 0 keeps its v for the later layers; those move their v toward it: v += (v_first − v) ⊙ σ(v0 + (xv·v1)·v2). */
    private void mixValueResidual(float[] v, float[] xv, int rows, Step step) {
        if (firstLayer) {
            step.valueFirst = v.clone();
            return;
        }
        float[] first = step.valueFirst;
        if (first == null || first.length != v.length) throw new IllegalStateException("RWKV-7 layer run without layer 0's values");
        float[] mix = v2.apply(v1.apply(xv, rows), rows);
        for (int t = 0; t < rows; t++) {
            for (int i = 0; i < c; i++) {
                int at = t * c + i;
                v[at] += (first[at] - v[at]) * Ops.sigmoid(v0[i] + mix[at]);
            }
        }
    }

    @Override
    public java.util.List<Linear> products() {
        java.util.List<Linear> p = new java.util.ArrayList<>(java.util.List.of(receptance, key, value, output, w1, w2, a1, a2, g1, g2));
        if (!firstLayer) p.addAll(java.util.List.of(v1, v2)); // layer 0 makes the value residual, the others mix it in
        return p;
    }
}
