package dev.goldfinch.engine.model;

import java.util.List;

/**
 * The part of an inference state worth persisting at the end of a document: token ids, the compressed cache
 * cc_t of every position (hybrids), and each layer's shift and WKV states. Attention keys and values are not in
 * it: they are rebuilt from the tokens and cc_t, with no recurrent-layer step.
 *
 * @param compressed [position, D/r] row-major, empty for models without a compressed cache
 * @param layers one entry per block; wkv is null for attention layers
 */
public record SavedState(int position, int[] tokens, float[] compressed, List<Layer> layers) {

    public record Layer(float[] attShift, float[] ffnShift, float[] wkv) {
    }
}
