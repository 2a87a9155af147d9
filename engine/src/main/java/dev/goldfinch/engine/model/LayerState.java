package dev.goldfinch.engine.model;

/** What one block carries from token to token. */
final class LayerState {
    /** Last input of the time mix and of the channel mix (token shift); unused by Llama blocks. */
    final float[] attShift;
    final float[] ffnShift;
    /** WKV state [H][N value][N key] of a recurrent layer, else null. */
    final float[] wkv;
    /** k and v of every cached position of an attention layer, else null. */
    final KvCache kv;

    LayerState(float[] attShift, float[] ffnShift, float[] wkv, KvCache kv) {
        this.attShift = attShift;
        this.ffnShift = ffnShift;
        this.wkv = wkv;
        this.kv = kv;
    }

    static LayerState fresh(ModelConfig cfg, LayerKind kind) {
        int d = cfg.dModel();
        return new LayerState(new float[d], new float[d],
                kind.recurrent ? new float[cfg.heads() * cfg.headSize() * cfg.headSize()] : null,
                kind.recurrent ? null : new KvCache(cfg.dAtt()));
    }

    LayerState copy() {
        return new LayerState(attShift.clone(), ffnShift.clone(), wkv == null ? null : wkv.clone(), kv == null ? null : kv.copy());
    }
}
