package dev.goldfinch.engine.model;

import java.util.Arrays;

/**
 * Everything a model carries between calls: per-block shift, WKV and attention states, and for the hybrids
 * the document cache itself (token ids and cc_t for every position). Feeding a sequence in one call, in
 * chunks or token by token through the same state gives the same logits.
 */
public final class InferenceState {
    final LayerState[] layers;
    /** Positions consumed so far. */
    int position;
    /** Token ids of every position (the hybrids' cache needs them; kept for all models: it is tiny); room past position. */
    int[] tokens = new int[0];
    /** cc_t of every position, [position, D/r] (hybrids only), in its first {@link #compressedLength} numbers. */
    float[] compressed = new float[0];
    int compressedLength;
    /** xo and kc of the last position: the GOLD key/value shift of the next position reaches back to them. */
    float[] lastXo;
    float[] lastKc;
    /** How many token steps ran through the recurrent layers: zero when a document is answered from its saved cache. */
    long recurrentSteps;
    /** TOVA budget per attention layer (0 = unbounded attention). */
    int tovaBudget;
    /** Cached positions attended to, summed over rows, heads and layers: the work TOVA bounds. */
    long attendedPositions;
    /** When set: attention weight received by each position below its length, summed over rows, heads and layers. */
    float[] attentionMass;

    InferenceState(LayerState[] layers, int dModel, int dAtt) {
        this.layers = layers;
        this.lastXo = new float[dModel];
        this.lastKc = new float[dAtt];
    }

    public int position() {
        return position;
    }

    public long recurrentSteps() {
        return recurrentSteps;
    }

    public long attendedPositions() {
        return attendedPositions;
    }

    /** Bytes held by the attention layers' keys and values (the working memory that TOVA bounds). */
    public long attentionCacheBytes() {
        long b = 0;
        for (LayerState ls : layers) if (ls.kv != null) b += 2L * ls.kv.length * ls.kv.width * Float.BYTES;
        return b;
    }

    /** Bounds every attention layer to B cached positions with TOVA eviction (0 = off). */
    public void setTovaBudget(int budget) {
        if (budget < 0) throw new IllegalArgumentException("TOVA budget must be >= 0");
        this.tovaBudget = budget;
    }

    public int tovaBudget() {
        return tovaBudget;
    }

    /**
     * Starts summing, for every position below {@code positions}, the attention weight it receives from the rows fed
     * from now on (over heads and attention layers): which document tokens an answer drew on.
     */
    public void trackAttentionMass(int positions) {
        attentionMass = new float[positions];
    }

    /** The mass summed since {@link #trackAttentionMass}, or null. */
    public float[] attentionMass() {
        return attentionMass;
    }

    public int[] tokens() {
        return Arrays.copyOf(tokens, position);
    }

    /** Token ids of positions [from, to). */
    public int[] tokens(int from, int to) {
        return Arrays.copyOfRange(tokens, from, to);
    }

    /**
     * Room for {@code positions} in all, allocated once when the final length is known (a document about to be read):
     * the attention layers' keys and values, token ids and cc_t then never grow by copying, and hold no spare room.
     */
    public void reserve(int positions, int compressedWidth) {
        if (positions > tokens.length) tokens = Arrays.copyOf(tokens, positions);
        long cc = (long) positions * compressedWidth;
        if (cc > compressed.length) compressed = Arrays.copyOf(compressed, Math.toIntExact(cc));
        for (LayerState ls : layers) if (ls.kv != null) ls.kv.reserve(positions);
    }

    /** cc_t rows of positions [from, to), [to − from, width] row-major. */
    public float[] compressedRows(int from, int to, int width) {
        return Arrays.copyOfRange(compressed, from * width, to * width);
    }

    /** cc_t of every position so far, [position, D/r] row-major. */
    public float[] compressedCache() {
        return Arrays.copyOf(compressed, compressedLength);
    }

    /** A deep copy: what is appended to the copy never reaches this state (question 2 sees only the document). */
    public InferenceState copy() {
        LayerState[] ls = new LayerState[layers.length];
        for (int i = 0; i < ls.length; i++) ls[i] = layers[i].copy();
        InferenceState c = new InferenceState(ls, lastXo.length, lastKc.length);
        c.position = position;
        c.tokens = tokens.clone(); // with the room a restored document keeps for a question
        c.compressed = compressed.clone();
        c.compressedLength = compressedLength;
        c.lastXo = lastXo.clone();
        c.lastKc = lastKc.clone();
        c.recurrentSteps = recurrentSteps;
        c.tovaBudget = tovaBudget;
        c.attendedPositions = attendedPositions;
        c.attentionMass = attentionMass == null ? null : attentionMass.clone();
        return c;
    }

    // Both grow by half again when full, not by each chunk: a copy of the whole per chunk made reading quadratic in garbage.
    void appendTokens(int[] ids, int from, int count) {
        if (position + count > tokens.length) tokens = Arrays.copyOf(tokens, grown(tokens.length, position + count));
        System.arraycopy(ids, from, tokens, position, count);
    }

    void appendCompressed(float[] cc, int width, int rows) {
        int need = compressedLength + rows * width;
        if (need > compressed.length) compressed = Arrays.copyOf(compressed, grown(compressed.length, need));
        System.arraycopy(cc, 0, compressed, compressedLength, rows * width);
        compressedLength = need;
    }

    /** Saved cc_t: exactly the numbers of the positions so far. */
    float[] compressedCopy() {
        return Arrays.copyOf(compressed, compressedLength);
    }

    private static int grown(int have, int need) {
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, have + (have >> 1) + 64L));
    }
}
