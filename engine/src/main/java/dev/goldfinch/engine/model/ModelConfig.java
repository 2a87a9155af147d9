package dev.goldfinch.engine.model;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.checkpoint.Checkpoint;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The sizes and layer layout of a model, read off the checkpoint's tensor names and shapes alone
 * (RoPE is the one thing a checkpoint does not record: it comes from a side JSON or the command line).
 *
 * @param vocab V
 * @param dModel D
 * @param dAtt A (attention / WKV width)
 * @param headSize N
 * @param heads H = A / N
 * @param dFfn F (channel-mix width)
 * @param rnnLayers c: layers before the first attention layer (L for recurrent-only models, 0 for llama)
 * @param compressedWidth D/r, the numbers per token of the compressed cache (0 without one)
 * @param ropeBase RoPE base, 0 when RoPE is off
 */
public record ModelConfig(Architecture architecture, List<LayerKind> layers, int vocab, int dModel, int dAtt,
                          int headSize, int heads, int dFfn, int rnnLayers, int compressedWidth, double ropeBase,
                          DType dtype) {

    public int layerCount() {
        return layers.size();
    }

    /** r, the cache compression ratio (D / (D/r)); 0 without a compressed cache. */
    public int compressionRatio() {
        return compressedWidth == 0 ? 0 : dModel / compressedWidth;
    }

    /** Layers that attend over a cache (GOLD or Llama). */
    public int attentionLayers() {
        return (int) layers.stream().filter(k -> !k.recurrent).count();
    }

    /** Bytes per token the persisted cache costs at 16 bits per number plus a 4-byte token id. */
    public double persistedBytesPerToken() {
        return switch (architecture) {
            case GOLDFINCH, GOLDFINCH_UPGRADE -> compressedWidth * 2 + 4;
            case LLAMA -> 2.0 * layerCount() * dAtt * 2 + 4;
            case FINCH, FINCH_C2, RWKV7 -> 0; // constant-size recurrent state only
        };
    }

    /**
     * Bytes of the constant-size part of a saved document, whatever its length: every layer's two shift vectors and,
     * for recurrent layers, the WKV state [H, N, N], stored as float32.
     */
    public long persistedStateBytes() {
        long numbers = 0;
        for (LayerKind k : layers) numbers += 2L * dModel + (k.recurrent ? (long) heads * headSize * headSize : 0);
        return numbers * Float.BYTES;
    }

    /** What a full transformer of the same shape keeps per token: k and v of every layer at 16 bits. */
    public double transformerBytesPerToken() {
        return 2.0 * layerCount() * dAtt * 2;
    }

    /** Detects the architecture from tensor names and shapes. */
    public static ModelConfig detect(Checkpoint ckpt, double ropeBase, Optional<Integer> headSizeHint) {
        String file = ckpt.path().getFileName().toString();
        Tensor emb = ckpt.find("emb.weight").orElseThrow(() -> new EngineException(
                "checkpoint " + file + ": no 'emb.weight' tensor: not a GoldFinch/Finch/Llama checkpoint"));
        if (emb.rank() != 2) throw new EngineException("checkpoint " + file + ": 'emb.weight' is not [V, D]: " + emb.shapeString());
        int vocab = (int) emb.size(0), d = (int) emb.size(1);
        int layerCount = 0;
        while (ckpt.find("blocks." + layerCount + ".ln1.weight").isPresent()) layerCount++;
        if (layerCount == 0) throw new EngineException("checkpoint " + file + ": no 'blocks.0.ln1.weight': no layers found");
        refuseOtherRwkv7Variants(ckpt, file);

        LayerKind[] kinds = new LayerKind[layerCount];
        for (int i = 0; i < layerCount; i++) {
            String p = "blocks." + i + ".att.";
            if (ckpt.find(p + "gate.weight").isPresent() && ckpt.find(p + "time_faaaa").isPresent()) kinds[i] = LayerKind.X060;
            else if (ckpt.find(p + "time_value2_w1").isPresent()) kinds[i] = LayerKind.X060C2;
            else if (ckpt.find(p + "time_maa_q").isPresent()) kinds[i] = LayerKind.GOLD;
            else if (ckpt.find(p + "wq.weight").isPresent()) kinds[i] = LayerKind.LLAMA;
            else if (ckpt.find(p + "k_k").isPresent() && ckpt.find(p + "a0").isPresent()) kinds[i] = LayerKind.X070;
            else throw new EngineException("checkpoint " + file + ": layer " + i + " is of no known kind (Finch, Finch-C2, GOLD, Llama or RWKV-7)");
        }
        List<LayerKind> layers = List.of(kinds);
        int c = 0;
        while (c < layerCount && kinds[c].recurrent) c++;
        Architecture arch = architecture(file, kinds, c);

        String attKey = switch (kinds[0]) {
            case X060, X060C2, X070 -> "blocks.0.att.key.weight";
            case GOLD -> "blocks.0.att.query.weight";
            case LLAMA -> "blocks.0.att.wq.weight";
        };
        int a = (int) ckpt.get(attKey).size(0);
        int headSize = headSizeHint.orElse(64);
        Optional<Tensor> faaaa = ckpt.find("blocks.0.att.time_faaaa");
        if (faaaa.isPresent()) headSize = (int) faaaa.get().size(-1);
        Optional<Tensor> bonus = ckpt.find("blocks.0.att.r_k"); // RWKV-7: [H, N]
        if (kinds[0] == LayerKind.X070 && bonus.isPresent()) {
            if (bonus.get().rank() != 2) throw new EngineException("checkpoint " + file + ": 'blocks.0.att.r_k' is not [H, N]: " + bonus.get().shapeString());
            headSize = (int) bonus.get().size(1);
        }
        if (a % headSize != 0) throw new EngineException("checkpoint " + file + ": attention width " + a + " is not a multiple of head size " + headSize);
        String ffnKey = kinds[0] == LayerKind.LLAMA ? "blocks.0.ffn.w1.weight" : "blocks.0.ffn.key.weight";
        int f = (int) ckpt.get(ffnKey).size(0);

        int compressed = 0;
        if (arch.hasCompressedCache()) {
            Tensor a1 = ckpt.find("w_kv_cache_a.weight").orElseThrow(() -> new EngineException(
                    "checkpoint " + file + ": a hybrid model without 'w_kv_cache_a.weight'"));
            compressed = (int) a1.size(0);
        }
        if (arch == Architecture.LLAMA) c = 0;
        return new ModelConfig(arch, layers, vocab, d, a, headSize, a / headSize, f, c, compressed, ropeBase, emb.dtype());
    }

    /**
     * RWKV-7's later variants share x070's names but not its math (rwkv7a adds DeepEmbed to the channel mix, rwkv7b
     * an attention group): refused by name and by tensor, so they are never run as x070.
     */
    private static void refuseOtherRwkv7Variants(Checkpoint ckpt, String file) {
        String lower = file.toLowerCase(java.util.Locale.ROOT);
        for (String v : new String[] {"rwkv7a", "rwkv7b"}) {
            if (lower.startsWith(v + "-") || lower.startsWith(v + "_")) {
                throw new EngineException("checkpoint " + file + ": an " + v + " model (an RWKV-7 variant with other math); only RWKV-7 x070 models are supported");
            }
        }
        for (String key : ckpt.tensors().keySet()) {
            if (key.matches("blocks\\.\\d+\\.ffn\\.(s_emb.*|s[0-9]+)")) {
                throw new EngineException("checkpoint " + file + ": tensor '" + key + "' is DeepEmbed (rwkv7a, an RWKV-7 variant with other math); only RWKV-7 x070 models are supported");
            }
            if (key.matches("blocks\\.\\d+\\.qkv\\..*")) {
                throw new EngineException("checkpoint " + file + ": tensor '" + key + "' belongs to an attention group (rwkv7b, an RWKV-7 variant with other math); only RWKV-7 x070 models are supported");
            }
        }
    }

    private static Architecture architecture(String file, LayerKind[] kinds, int c) {
        boolean restSame = true;
        for (int i = c; i < kinds.length; i++) restSame &= kinds[i] == kinds[kinds.length - 1];
        boolean headSame = true;
        for (int i = 0; i < c; i++) headSame &= kinds[i] == kinds[0];
        if (!restSame || !headSame) throw new EngineException("checkpoint " + file + ": unsupported layer order " + Arrays.toString(kinds));
        if (c == kinds.length) {
            return switch (kinds[0]) {
                case X060 -> Architecture.FINCH;
                case X070 -> Architecture.RWKV7;
                default -> Architecture.FINCH_C2;
            };
        }
        if (c == 0) {
            if (kinds[0] == LayerKind.LLAMA) return Architecture.LLAMA;
            throw new EngineException("checkpoint " + file + ": GOLD layers with no recurrent layers before them");
        }
        if (kinds[c] != LayerKind.GOLD) throw new EngineException("checkpoint " + file + ": unsupported layer order " + Arrays.toString(kinds));
        return kinds[0] == LayerKind.X060C2 ? Architecture.GOLDFINCH : Architecture.GOLDFINCH_UPGRADE;
    }

    public String describe() {
        return String.format("%s L%d-D%d (A=%d, heads %d x %d, F=%d, V=%d%s%s, %s)", architecture.id, layerCount(), dModel, dAtt,
                heads, headSize, dFfn, vocab, architecture.hasCompressedCache() ? ", c=" + rnnLayers + ", r=" + compressionRatio() : "",
                ropeBase > 0 ? ", RoPE base " + (long) ropeBase : "", dtype.name().toLowerCase());
    }
}
