package dev.goldfinch.engine.model;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.checkpoint.Checkpoint;
import dev.goldfinch.engine.kernel.Int8Matrix;
import dev.goldfinch.engine.tensor.Tensor;
import java.util.Optional;

/**
 * A loaded model: the blocks over the mapped checkpoint, and the forward pass of
 * shared/spec/goldfinch-model.md. A forward call consumes T new tokens through an {@link InferenceState}.
 */
public final class Model implements AutoCloseable {
    /** Positions of room past a restored document in its attention caches: a question and its answer fit without a copy. */
    static final int ANSWER_ROOM = 1024;

    /** Which logits a forward call returns. */
    public enum Logits { NONE, LAST, ALL }

    private final Checkpoint checkpoint;
    private final ModelConfig config;
    private final Tensor embedding;
    private final LayerNorm ln0;
    private final Block[] blocks;
    private final LayerNorm lnOut;
    private final Linear head;
    private final Linear cacheA;
    private final Linear cacheB;

    private final Int8Matrix embeddingInt8;
    private final WeightFormat format;
    /** int8 matrices that had to be quantized in this load (0 when they came from a valid on-disk cache). */
    private final int quantizedAtLoad;

    private Model(Checkpoint checkpoint, ModelConfig config, WeightFormat format) {
        this.checkpoint = checkpoint;
        this.config = config;
        this.format = format;
        int d = config.dModel();
        Int8Weights int8 = format == WeightFormat.INT8 ? new Int8Weights(checkpoint) : null;
        Weights root = new Weights(checkpoint, "", int8);
        embedding = root.tensor("emb.weight", config.vocab(), d);
        embeddingInt8 = int8 != null ? int8.matrix(embedding) : null;
        ln0 = root.layerNorm("blocks.0.ln0", d);
        blocks = new Block[config.layerCount()];
        for (int i = 0; i < blocks.length; i++) blocks[i] = Block.load(root.child("blocks." + i + "."), config, config.layers().get(i), i);
        lnOut = root.layerNorm("ln_out", d);
        head = root.linear("head.weight", config.vocab(), d);
        if (config.architecture().hasCompressedCache()) {
            int cw = config.compressedWidth();
            cacheA = root.linear("w_kv_cache_a.weight", cw, d);
            cacheB = root.linear("w_kv_cache_b.weight", config.dAtt(), d + cw);
        } else {
            cacheA = null;
            cacheB = null;
        }
        if (int8 != null) {
            int8.saveIfNew();
            quantizedAtLoad = int8.quantizedNow();
        } else {
            quantizedAtLoad = 0;
        }
    }

    /** Loads a model from an open checkpoint; ropeBase 0 = off (a side JSON may switch it on, see ModelFiles). */
    public static Model load(Checkpoint checkpoint, double ropeBase, Optional<Integer> headSize) {
        return load(checkpoint, ropeBase, headSize, WeightFormat.STORED);
    }

    /** Refuses a checkpoint with a NaN or infinite weight, naming the tensor (see {@link FiniteWeights}). */
    public static Model load(Checkpoint checkpoint, double ropeBase, Optional<Integer> headSize, WeightFormat format) {
        ModelConfig config = ModelConfig.detect(checkpoint, ropeBase, headSize);
        FiniteWeights.require(checkpoint);
        return new Model(checkpoint, config, format);
    }

    public int quantizedAtLoad() {
        return quantizedAtLoad;
    }

    public WeightFormat weightFormat() {
        return format;
    }

    /** What a token costs this model: weight bytes read and FLOPs of its matrix products (see {@link CostModel}). */
    public CostModel cost() {
        int d = config.dModel();
        long embeddingRow = embeddingInt8 != null ? d + embeddingInt8.blocksPerRow() * 4L : (long) d * embedding.dtype().bytes;
        return CostModel.count(config, embeddingRow, blocks, cacheA, cacheB, head);
    }

    public ModelConfig config() {
        return config;
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /** Every number the checkpoint holds. */
    public long parameterCount() {
        return checkpoint.tensors().values().stream().mapToLong(Tensor::elements).sum();
    }

    /** Unmaps the checkpoint: the model must not be used afterwards. */
    @Override
    public void close() {
        checkpoint.close();
    }

    public InferenceState newState() {
        LayerState[] ls = new LayerState[blocks.length];
        for (int i = 0; i < ls.length; i++) ls[i] = LayerState.fresh(config, config.layers().get(i));
        return new InferenceState(ls, config.dModel(), config.dAtt());
    }

    /**
     * Feeds tokens[from, from+count) through every block. Returns logits [count, V] (ALL), [V] (LAST) or null.
     */
    public float[] forward(InferenceState state, int[] tokens, int from, int count, Logits logits) {
        float[] x = runRecurrent(state, tokens, from, count);
        Step step = new Step(state.position - count, state);
        for (int i = config.rnnLayers(); i < blocks.length; i++) blocks[i].forward(x, count, state.layers[i], step);
        return logits(x, count, logits);
    }

    /**
     * The part of a forward call that builds the cache: embeds the tokens, runs the recurrent blocks 0 … c−1,
     * appends the positions to the state (token ids, cc_t, and every attention layer's keys and values) and
     * advances its position. Returns the residual stream after block c−1, [count, D].
     */
    float[] runRecurrent(InferenceState state, int[] tokens, int from, int count) {
        if (count <= 0) throw new IllegalArgumentException("no tokens to feed");
        checkTokens(state, tokens, from, count);
        float[] x0 = embed(tokens, from, count);
        float[] x = x0.clone();
        Step step = new Step(state.position, state);
        int c = config.rnnLayers();
        for (int i = 0; i < c; i++) blocks[i].forward(x, count, state.layers[i], step);
        state.recurrentSteps += c > 0 ? count : 0;
        state.appendTokens(tokens, from, count);
        if (cacheA != null) {
            float[] cc = cacheA.apply(x, count);
            state.appendCompressed(cc, config.compressedWidth(), count);
            appendGoldKeysValues(state, goldInputs(state, x0, cc, count, state.position));
        }
        state.position += count;
        return x;
    }

    private void checkTokens(InferenceState state, int[] tokens, int from, int count) {
        int v = config.vocab();
        for (int i = from; i < from + count; i++) {
            if (tokens[i] < 0 || tokens[i] >= v) {
                throw new EngineException("token id " + tokens[i] + " at position " + (state.position + i - from)
                        + " is out of range: the model's vocabulary has " + v + " ids");
            }
        }
    }

    /** The head over rows of the final residual stream. */
    float[] logits(float[] x, int count, Logits logits) {
        int d = config.dModel();
        return switch (logits) {
            case NONE -> null;
            case ALL -> head.apply(lnOut.apply(x, count), count);
            case LAST -> {
                float[] last = new float[d];
                System.arraycopy(x, (count - 1) * d, last, 0, d);
                yield head.apply(lnOut.apply(last, 1), 1);
            }
        };
    }

    /** Runs the attention blocks c … L−1 over rows of the residual stream at positions start … start+rows−1. */
    float[] runAttentionBlocks(InferenceState state, float[] x, int rows, int start) {
        Step step = new Step(start, state);
        for (int i = config.rnnLayers(); i < blocks.length; i++) blocks[i].forward(x, rows, state.layers[i], step);
        return x;
    }

    /**
     * Every GOLD layer's keys and values from the shared inputs. The layers depend on those inputs alone, so they run
     * side by side, a layer to a thread (their products then run inline on it): this spreads the element-wise work
     * between the products too, which otherwise ran on one thread while the others waited. Each layer's arithmetic is
     * the same either way.
     */
    private void appendGoldKeysValues(InferenceState state, GoldInputs in) {
        int first = config.rnnLayers();
        dev.goldfinch.engine.kernel.Parallel.forRange(blocks.length - first, 1, (from, to) -> {
            for (int i = first + from; i < first + to; i++) ((GoldTimeMix) blocks[i].timeMix()).appendKeysValues(in, state.layers[i].kv);
        });
    }

    /**
     * Refuses a model whose reading cannot be saved: the Llama baseline's cache is every layer's k and v, which a
     * {@link SavedState} does not hold (a state restored without them would answer from no document at all).
     */
    public void requirePersistable() {
        if (config.architecture() == Architecture.LLAMA) {
            throw new EngineException("the Llama baseline's cache (every layer's k and v) is not persisted; only GoldFinch, Finch and RWKV-7 caches are");
        }
    }

    /** The state's persistent part (see {@link SavedState}). */
    public SavedState save(InferenceState state) {
        requirePersistable();
        return new SavedState(state.position, state.tokens(), state.compressedCopy(), saveLayers(state));
    }

    /** Copies of every layer's shift and WKV states (the constant-size part of a saved state). */
    public java.util.List<SavedState.Layer> saveLayers(InferenceState state) {
        requirePersistable();
        java.util.List<SavedState.Layer> layers = new java.util.ArrayList<>();
        for (LayerState ls : state.layers) {
            layers.add(new SavedState.Layer(ls.attShift.clone(), ls.ffnShift.clone(), ls.wkv == null ? null : ls.wkv.clone()));
        }
        return layers;
    }

    /**
     * Rebuilds a working state from a saved one without any recurrent-layer step: every GOLD layer's keys and
     * values come from the token ids and cc_t alone.
     */
    public InferenceState restore(SavedState saved) {
        return restore(saved, RestoreProgress.NONE);
    }

    /** Like {@link #restore(SavedState)}, saying how far the GOLD layers' rebuilding is after each chunk. */
    public InferenceState restore(SavedState saved, RestoreProgress progress) {
        requirePersistable();
        if (saved.layers().size() != blocks.length) {
            throw new EngineException("saved state has " + saved.layers().size() + " layers, the model " + blocks.length);
        }
        int cw = config.compressedWidth();
        if (saved.tokens().length != saved.position() || saved.compressed().length != (long) saved.position() * cw) {
            throw new EngineException("saved state is inconsistent: " + saved.position() + " positions, " + saved.tokens().length
                    + " token ids, " + saved.compressed().length + " cache numbers");
        }
        InferenceState st = newState();
        // Exactly the document plus room for a question and its answer, which copies of this state append in place.
        st.reserve(saved.position() + ANSWER_ROOM, 0);
        for (int i = 0; i < blocks.length; i++) {
            SavedState.Layer l = saved.layers().get(i);
            LayerState ls = st.layers[i];
            copyInto(l.attShift(), ls.attShift, "shift state of layer " + i);
            copyInto(l.ffnShift(), ls.ffnShift, "shift state of layer " + i);
            if (ls.wkv != null) copyInto(l.wkv(), ls.wkv, "WKV state of layer " + i);
        }
        int[] tokens = saved.tokens();
        checkTokens(st, tokens, 0, tokens.length);
        st.appendTokens(tokens, 0, tokens.length);
        if (cacheA != null) {
            st.compressed = java.util.Arrays.copyOf(saved.compressed(), (saved.position() + ANSWER_ROOM) * cw);
            st.compressedLength = saved.compressed().length;
            // 256 positions at a time: a chunk's element-wise rows (768 floats each at L12-D768) then stay in the L2
            // cache between the products; 1,024 took 2.07 s for 16k tokens where 256 takes 1.63 s, 512 1.70 s.
            final int chunk = 256;
            for (int from = 0; from < tokens.length; from += chunk) {
                int n = Math.min(chunk, tokens.length - from);
                float[] cc = java.util.Arrays.copyOfRange(saved.compressed(), from * cw, (from + n) * cw);
                appendGoldKeysValues(st, goldInputs(st, embed(tokens, from, n), cc, n, from));
                progress.rebuilt(from + n, tokens.length);
            }
        }
        st.position = saved.position();
        return st;
    }

    private static void copyInto(float[] src, float[] dst, String what) {
        if (src == null || src.length != dst.length) {
            throw new EngineException("saved " + what + " has " + (src == null ? "no" : src.length) + " numbers, the model needs " + dst.length);
        }
        System.arraycopy(src, 0, dst, 0, dst.length);
    }

    /** x0 = LN(emb[token]; ln0) for each token: depends only on the token id. Rows in parallel (a reopened reading embeds every token). */
    float[] embed(int[] tokens, int from, int count) {
        int d = config.dModel();
        float[] x = new float[count * d];
        dev.goldfinch.engine.kernel.Parallel.forRange(count, 64, (t0, t1) -> {
            float[] row = embeddingInt8 != null ? new float[d] : null;
            for (int t = t0; t < t1; t++) {
                if (embeddingInt8 != null) {
                    embeddingInt8.dequantizeRow(tokens[from + t], row);
                    System.arraycopy(row, 0, x, t * d, d);
                } else {
                    long base = (long) tokens[from + t] * d;
                    for (int i = 0; i < d; i++) x[t * d + i] = embedding.get(base + i);
                }
                Ops.layerNorm(x, t * d, d, ln0.weight(), ln0.bias(), 0, Ops.LN_EPS, x);
            }
        });
        return x;
    }

    /**
     * xo = rmsnorm(x0) and kc = rmsnorm(w_kv_cache_b·[x0, cc]) of new positions, with their token-shift differences;
     * advances the state's lastXo / lastKc.
     */
    private GoldInputs goldInputs(InferenceState state, float[] x0, float[] cc, int count, int start) {
        int d = config.dModel(), a = config.dAtt(), cw = config.compressedWidth();
        float[] cat = new float[count * (d + cw)];
        for (int t = 0; t < count; t++) {
            System.arraycopy(x0, t * d, cat, t * (d + cw), d);
            System.arraycopy(cc, t * cw, cat, t * (d + cw) + d, cw);
        }
        float[] kc = cacheB.apply(cat, count);
        float[] xo = new float[count * d];
        dev.goldfinch.engine.kernel.Parallel.forRange(count, 64, (t0, t1) -> {
            Ops.rmsNorm(kc, t0, t1, a, kc);
            Ops.rmsNorm(x0, t0, t1, d, xo);
        });
        // The differences move lastXo / lastKc on to the last row.
        return new GoldInputs(start, count, xo, Ops.tokenShift(xo, count, d, state.lastXo), kc, Ops.tokenShift(kc, count, a, state.lastKc));
    }
}
