package dev.goldfinch.engine.model;

import java.util.Arrays;

/**
 * Linear-time pre-fill of a document (shared/spec "Pre-fill in linear time"): only the recurrent blocks run over
 * the document, chunk by chunk, building cc_t; then the attention blocks run, from zero shift states, over only the
 * last 2·(L−c)+1 positions, which reproduces the full run's GOLD shift states and last-position logits exactly.
 * The cost per token does not depend on the document's length (apart from attention of those few tail rows).
 *
 * <p>The Llama baseline has no such shortcut: its chunks run every block (full attention, full cache).
 */
public final class Prefill {
    private final Model model;
    private final InferenceState state;
    private final int tailLength;
    private final boolean hybrid;
    /** Residual stream after block c−1 of the last tailRows positions fed. */
    private float[] tail = new float[0];
    private int tailRows;
    /** Pure RNN / Llama: logits of the last position fed. */
    private float[] lastLogits;

    public Prefill(Model model, InferenceState state) {
        this.model = model;
        this.state = state;
        ModelConfig c = model.config();
        this.hybrid = c.architecture().hasCompressedCache();
        this.tailLength = 2 * (c.layerCount() - c.rnnLayers()) + 1;
    }

    /** Positions at the end of a document whose residual stream the finish step needs (0 for pure RNNs). */
    public int tailLength() {
        return hybrid ? tailLength : 0;
    }

    public InferenceState state() {
        return state;
    }

    /** Feeds tokens[from, from+count) of the document. */
    public void feed(int[] tokens, int from, int count) {
        if (!hybrid) {
            // Recurrent-only models (and Llama) run every block; keep the last logits for finish().
            lastLogits = model.forward(state, tokens, from, count, Model.Logits.LAST);
            return;
        }
        float[] x = model.runRecurrent(state, tokens, from, count);
        int d = model.config().dModel();
        int keep = Math.min(tailLength, tailRows + count);
        float[] joined = new float[(tailRows + count) * d];
        System.arraycopy(tail, 0, joined, 0, tailRows * d);
        System.arraycopy(x, 0, joined, tailRows * d, count * d);
        tail = Arrays.copyOfRange(joined, joined.length - keep * d, joined.length);
        tailRows = keep;
    }

    /**
     * Completes the document: runs the attention blocks over the tail and returns the logits of the last position.
     * For the other models the last chunk's logits are returned (null after a resume that fed nothing).
     */
    public float[] finish() {
        if (state.position == 0) throw new IllegalStateException("nothing was pre-filled");
        if (!hybrid) return lastLogits;
        int need = Math.min(tailLength, state.position);
        if (tailRows < need) {
            throw new IllegalStateException("pre-fill resumed too close to the end: " + tailRows + " of " + need + " tail rows known");
        }
        int c = model.config().rnnLayers();
        for (int i = c; i < state.layers.length; i++) {
            Arrays.fill(state.layers[i].attShift, 0f);
            Arrays.fill(state.layers[i].ffnShift, 0f);
        }
        float[] x = Arrays.copyOfRange(tail, (tailRows - need) * model.config().dModel(), tail.length);
        model.runAttentionBlocks(state, x, need, state.position - need);
        return model.logits(x, need, Model.Logits.LAST);
    }

}
