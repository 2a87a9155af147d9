package dev.goldfinch.engine.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What one token costs a loaded model, counted from the linear maps its forward pass applies: their shapes, and the
 * bytes they are held in (as stored, LoRA factors widened to float32 at load, or int8 with their scales). So the
 * count follows the model's real tensors for every architecture, and a tensor the forward pass does not use (layer
 * 0's value-residual LoRA of a released RWKV-7 file) is not counted. Element-wise work (norms, token shifts, the WKV
 * recurrences) is left out; attention, which grows with the context, is {@link #attentionFlops}.
 *
 * @param weightBytesPerToken  bytes of weights one decoded token reads: every linear map once (a map applied twice is
 *                             counted once), the head and the compressed-cache maps included, and one embedding row
 * @param flopsPerToken        multiply-add FLOPs (2 per weight) of the matrix products of one decoded token, head included
 * @param prefillFlopsPerToken the same per document token of a pre-fill ({@link Prefill}): every block for Finch,
 *                             RWKV-7 and Llama; for a hybrid the recurrent blocks, the compressed-cache maps and the GOLD
 *                             layers' key/value maps, since the rest of the GOLD layers runs only over the last
 *                             positions. The head runs once per chunk, so it is left out
 * @param rebuildFlopsPerToken the same per document token of reopening a saved hybrid reading ({@link Model#restore}):
 *                             {@code w_kv_cache_b} and the GOLD layers' key/value maps (0 for the other architectures,
 *                             whose saved state is complete)
 * @param attentionLayers      layers that attend over a cache (GOLD or Llama)
 * @param attentionWidth       A, the width of their queries, keys and values
 */
public record CostModel(long weightBytesPerToken, long flopsPerToken, long prefillFlopsPerToken, long rebuildFlopsPerToken, int attentionLayers, int attentionWidth) {

    /** Counts the maps of a model's blocks, its compressed-cache maps (null without) and its head. */
    static CostModel count(ModelConfig config, long embeddingRowBytes, Block[] blocks, Linear cacheA, Linear cacheB, Linear head) {
        boolean hybrid = config.architecture().hasCompressedCache();
        Set<Linear> read = Collections.newSetFromMap(new IdentityHashMap<>());
        long flops = 0, prefill = 0, rebuild = 0;
        for (int i = 0; i < blocks.length; i++) {
            boolean wholeBlockPerToken = !hybrid || i < config.rnnLayers();
            List<Linear> block = new ArrayList<>(blocks[i].timeMix().products());
            block.addAll(blocks[i].channelMix().products());
            for (Linear l : block) {
                read.add(l);
                flops += l.flops();
                if (wholeBlockPerToken) prefill += l.flops();
            }
            for (Linear l : blocks[i].timeMix().keyValueProducts()) {
                read.add(l);
                flops += l.flops();
                prefill += l.flops();
                rebuild += l.flops();
            }
        }
        if (cacheA != null) {
            for (Linear l : List.of(cacheA, cacheB)) {
                read.add(l);
                flops += l.flops();
                prefill += l.flops();
            }
            rebuild += cacheB.flops(); // cc_t is stored: w_kv_cache_a is not applied again
        }
        read.add(head);
        flops += head.flops();
        long bytes = embeddingRowBytes;
        for (Linear l : read) bytes += l.bytes();
        return new CostModel(bytes, flops, prefill, rebuild, config.attentionLayers(), config.dAtt());
    }

    /** Causal attention FLOPs of n positions from the start: q·k and p·v, 2·A FLOPs each per visible position, per layer. */
    public double attentionFlops(long n) {
        return 2.0 * attentionWidth * n * (n + 1) * attentionLayers;
    }
}
