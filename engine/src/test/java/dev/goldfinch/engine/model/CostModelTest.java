package dev.goldfinch.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.goldfinch.engine.kernel.Int8Matrix;
import dev.goldfinch.engine.tensor.DType;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cost model against a count by hand of a small random model of each architecture: every matrix of the shapes
 * RandomModels writes (its class comment gives the widths), stored maps at the stored type's bytes or as int8 with a
 * float scale per block, LoRA factors at 4 bytes (widened at load), one embedding row.
 */
class CostModelTest {
    static final int L = 3, D = 128, V = 512;

    @TempDir
    Path dir;

    /** Elements of the matrices of a model, as the forward pass uses them. */
    private static final class Count {
        long stored;        // linear maps held as stored (or int8), each once
        long storedApplied; // the same, once per application
        long scaleBytes;    // int8: out · blocks per row · 4 of every stored map
        long lora;          // LoRA factors, float32
        long prefill;       // every map that runs over every document position in a pre-fill

        void stored(long out, long in, boolean prefillRuns) {
            stored += out * in;
            storedApplied += out * in;
            scaleBytes += out * (in / Int8Matrix.blockFor((int) in)) * 4;
            if (prefillRuns) prefill += out * in;
        }

        void lora(long in, long out, boolean prefillRuns) {
            lora += in * out;
            if (prefillRuns) prefill += in * out;
        }
    }

    private static Count handCount(Architecture arch) {
        int d = D, f = RandomModels.ffnWidth(arch, d), c = RandomModels.recurrentLayers(arch, L), kvLora = Math.max(d / 16, 64);
        Count n = new Count();
        for (int i = 0; i < L; i++) {
            boolean gold = arch.hasCompressedCache() && i >= c;
            boolean all = !gold; // the linear-time pre-fill runs the GOLD layers only over the last positions
            switch (arch == Architecture.LLAMA ? "llama" : arch == Architecture.RWKV7 ? "x070" : gold ? "gold"
                    : arch == Architecture.FINCH || arch == Architecture.GOLDFINCH_UPGRADE ? "x060" : "x060c2") {
                case "x060" -> {
                    for (int m = 0; m < 5; m++) n.stored(d, d, all); // receptance, key, value, gate, output
                    n.lora(d, 5 * 32, all); // time_maa_w1
                    n.lora(5 * 32, d, all); // time_maa_w2, five [32, D] blocks
                    n.lora(d, 64, all); // time_decay_w1
                    n.lora(64, d, all); // time_decay_w2
                }
                case "x060c2" -> {
                    for (int m = 0; m < 4; m++) n.stored(d, d, all); // receptance, key, value, output
                    n.storedApplied += (long) d * d; // value makes v and v2
                    if (all) n.prefill += (long) d * d;
                    n.lora(d, 5 * 32, all);
                    n.lora(5 * 32, d, all);
                    n.lora(d, 64, all);
                    n.lora(64, d, all);
                    n.lora(d, 64, all); // time_value2_w1
                    n.lora(64, d, all); // time_value2_w2
                }
                case "gold" -> {
                    n.stored(d, d, false); // query
                    n.stored(d, d, false); // output
                    n.lora(d, 32, false); // time_maa_q_w1
                    n.lora(32, d, false); // time_maa_q_w2
                    // the key/value side runs over every position
                    n.lora(d, 2 * 32, true); // time_maa_kv_w1
                    n.lora(2 * 32, d, true); // time_maa_kv_w2, two [32, D] blocks
                    for (int m = 0; m < 2; m++) {
                        n.lora(d, kvLora, true); // time_key_w1, time_value_w1
                        n.lora(kvLora, d, true); // time_key_w2, time_value_w2
                    }
                }
                case "llama" -> {
                    for (int m = 0; m < 4; m++) n.stored(d, d, true); // wq, wk, wv, wo
                    n.stored(f, d, true); // w1
                    n.stored(d, f, true); // w2
                    n.stored(f, d, true); // w3
                }
                case "x070" -> {
                    for (int m = 0; m < 4; m++) n.stored(d, d, true); // receptance, key, value, output
                    int[] lora = RandomModels.rwkv7LoraWidths(d); // w, a, v, g
                    for (int k : new int[] {0, 1, 3}) {
                        n.lora(d, lora[k], true);
                        n.lora(lora[k], d, true);
                    }
                    if (i > 0) { // layer 0 makes the value residual that the later layers mix in
                        n.lora(d, lora[2], true);
                        n.lora(lora[2], d, true);
                    }
                }
                default -> throw new AssertionError();
            }
            if (arch == Architecture.RWKV7) {
                n.stored(f, d, true); // ffn.key
                n.stored(d, f, true); // ffn.value
            } else if (arch != Architecture.LLAMA) {
                n.stored(f, d, all); // ffn.key
                n.stored(d, d, all); // ffn.receptance
                n.stored(d, f, all); // ffn.value
            }
        }
        if (arch.hasCompressedCache()) {
            int cw = d / 16;
            n.stored(cw, d, true); // w_kv_cache_a
            n.stored(d, d + cw, true); // w_kv_cache_b
        }
        return n;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "GOLDFINCH, BF16, STORED", "GOLDFINCH_UPGRADE, BF16, STORED", "FINCH, BF16, STORED", "FINCH_C2, BF16, STORED",
            "LLAMA, BF16, STORED", "RWKV7, BF16, STORED", "GOLDFINCH, F32, STORED", "RWKV7, F32, STORED",
            "GOLDFINCH, BF16, INT8", "FINCH, BF16, INT8", "LLAMA, BF16, INT8", "RWKV7, BF16, INT8",
    })
    void matchesAHandCountOfEveryMatrix(Architecture arch, DType dtype, WeightFormat format) {
        Path file = RandomModels.write(dir.resolve(arch.id + ".pth"), arch, L, D, V, dtype, 3);
        Count n = handCount(arch);
        long head = (long) V * D;
        long bytes;
        if (format == WeightFormat.INT8) {
            long headScales = (long) V * (D / Int8Matrix.blockFor(D)) * 4;
            bytes = n.stored + n.scaleBytes + head + headScales + 4 * n.lora + D + (D / Int8Matrix.blockFor(D)) * 4L;
        } else {
            bytes = dtype.bytes * (n.stored + head) + 4 * n.lora + (long) dtype.bytes * D;
        }
        try (Model model = ModelLoader.load(file, OptionalDouble.empty(), format)) {
            CostModel cost = model.cost();
            assertEquals(bytes, cost.weightBytesPerToken(), "weight bytes per decoded token");
            assertEquals(2 * (n.storedApplied + n.lora + head), cost.flopsPerToken(), "FLOPs per decoded token");
            assertEquals(2 * n.prefill, cost.prefillFlopsPerToken(), "FLOPs per pre-filled token");
        }
    }

    @Test
    void attentionGrowsWithTheSquareOfTheContext() {
        Path file = RandomModels.write(dir.resolve("llama.pth"), Architecture.LLAMA, L, D, V, DType.BF16, 3);
        try (Model model = ModelLoader.load(file, OptionalDouble.empty())) {
            // position p sees p + 1 positions: q·k and p·v, 2·A FLOPs each, per layer
            long perLayer = 0;
            for (int p = 0; p < 10; p++) perLayer += 2L * 2 * D * (p + 1);
            assertEquals(L * perLayer, model.cost().attentionFlops(10));
        }
        Path finch = RandomModels.write(dir.resolve("finch.pth"), Architecture.FINCH, L, D, V, DType.BF16, 3);
        try (Model model = ModelLoader.load(finch, OptionalDouble.empty())) {
            assertEquals(0, model.cost().attentionFlops(10), "no attention layers");
        }
    }
}
