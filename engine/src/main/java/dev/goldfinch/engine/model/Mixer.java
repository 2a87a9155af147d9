package dev.goldfinch.engine.model;

/** A time mix or channel mix: maps this block's normalised input [T, D] to the residual update [T, D]. */
interface Mixer {
    float[] forward(float[] y, int rows, LayerState state, Step step);

    /** The large linear maps (what decoding streams from memory each token). */
    java.util.List<Linear> matrices();
}
