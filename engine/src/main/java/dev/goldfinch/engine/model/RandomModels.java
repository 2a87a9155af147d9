package dev.goldfinch.engine.model;

import dev.goldfinch.engine.checkpoint.CheckpointWriter;
import dev.goldfinch.engine.tensor.DType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Random-weight checkpoints of the paper's architectures and of RWKV-7 at any shape, in the real torch format
 * ({@link CheckpointWriter}): every tensor name and shape is the one the paper's code saves (see
 * shared/spec/goldfinch-model.md and the reference fixtures), so the engine loads them exactly as it loads a released
 * checkpoint. For benchmarks at the real shapes (L12-D768, L24-D2048, L32-D2560 with V = 65536) and for tests that
 * need "a small GoldFinch model with V = 65536" without a download.
 *
 * <p>Sizes follow the paper's code: head size N = 64, A = D, channel mix F = 3.5·D (Llama: D·4·2/3 rounded down to
 * a multiple of 32), token-shift LoRA width 32, decay LoRA width 64, value2 LoRA width 64, GOLD key/value LoRA width
 * max(D/16, 64), compression ratio r = 16, GoldFinch c = ⌊L·2/3⌋ (R = 3), the Finch upgrade c = ⌊L·5/6⌋ (R = 6).
 *
 * <p>Values are drawn (uniformly, from a generator seeded by the seed and the tensor name, so a file is
 * reproducible byte for byte) at scales that keep every activation finite and O(1): a linear map [out, in] with
 * standard deviation 1/√in, LayerNorm weights 1 ± 0.1 and biases ± 0.05, token-shift mixes in (0, 1), decays with
 * exp(−exp(w)) in about (0.64, 0.998), small LoRA factors. Only the shapes are realistic: a random model's text is
 * noise.
 *
 * <p>Beside {@code NAME.pth} goes {@code NAME.json} (as the reference fixtures have): architecture, sizes, dtype, seed,
 * and {@code rope_base}, 10000 for Llama (the paper's baseline uses RoPE, which a checkpoint does not record; the
 * loader reads it from there) and null for the others.
 */
public final class RandomModels {
    public static final int DEFAULT_VOCAB = 65536;
    public static final int HEAD_SIZE = 64;
    public static final double LLAMA_ROPE_BASE = 10000;
    private static final int MIX_LORA = 32, DECAY_LORA = 64, VALUE2_LORA = 64, COMPRESSION = 16;

    private RandomModels() {
    }

    /** A model shape, L layers of width D, written as in the paper's folder names: "L24-D2048". */
    public record Shape(int layers, int dModel) {
        public static final Shape L12_D768 = new Shape(12, 768);
        public static final Shape L24_D2048 = new Shape(24, 2048);
        public static final Shape L32_D2560 = new Shape(32, 2560);
        private static final Pattern FORM = Pattern.compile("L(\\d+)-D(\\d+)", Pattern.CASE_INSENSITIVE);

        public Shape {
            if (layers < 1) throw new IllegalArgumentException("a model needs at least one layer");
            if (dModel < HEAD_SIZE || dModel % HEAD_SIZE != 0) {
                throw new IllegalArgumentException("D = " + dModel + " must be a positive multiple of the head size " + HEAD_SIZE);
            }
        }

        /** Parses "L24-D2048" (case-insensitive). */
        public static Shape parse(String s) {
            Matcher m = FORM.matcher(s.trim());
            if (!m.matches()) throw new IllegalArgumentException("'" + s + "' is not a shape like L24-D2048");
            return new Shape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }

        @Override
        public String toString() {
            return "L" + layers + "-D" + dModel;
        }
    }

    /** One tensor of a random model: its name, shape and how its values are drawn. */
    public record TensorSpec(String name, long[] shape, Init init) {
        public long elements() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    /** How a tensor's values are drawn: uniform in [center − halfWidth, center + halfWidth]. */
    public record Init(double center, double halfWidth) {
        /** Zero mean and the given standard deviation. */
        static Init std(double std) {
            return new Init(0, std * Math.sqrt(3));
        }

        static Init range(double lo, double hi) {
            return new Init((lo + hi) / 2, (hi - lo) / 2);
        }
    }

    /**
     * Writes a random-weight checkpoint of {@code arch} with {@code layers} layers of width {@code dModel}
     * (a multiple of 64) and a vocabulary of {@code vocab} to {@code out}, every tensor stored as {@code dtype}.
     * The file appears complete or not at all (written beside it, then moved). Returns {@code out}.
     */
    public static Path write(Path out, Architecture arch, int layers, int dModel, int vocab, DType dtype, long seed) {
        List<TensorSpec> specs = tensors(arch, layers, dModel, vocab);
        Path abs = out.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".partial");
        try {
            if (abs.getParent() != null) Files.createDirectories(abs.getParent());
            try (CheckpointWriter w = CheckpointWriter.create(tmp, stem(abs))) {
                for (TensorSpec t : specs) w.add(t.name(), dtype, t.shape(), values(t, seed));
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(abs.resolveSibling(stem(abs) + ".json"), description(arch, layers, dModel, vocab, dtype, seed),
                    StandardCharsets.UTF_8);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write random model " + out + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** {@link #write(Path, Architecture, int, int, int, DType, long)} for a {@link Shape}. */
    public static Path write(Path out, Architecture arch, Shape shape, int vocab, DType dtype, long seed) {
        return write(out, arch, shape.layers(), shape.dModel(), vocab, dtype, seed);
    }

    /** The number of recurrent layers c before the first GOLD layer (L for Finch, 0 for Llama). */
    public static int recurrentLayers(Architecture arch, int layers) {
        return switch (arch) {
            case GOLDFINCH -> Math.max(1, layers * 2 / 3);
            case GOLDFINCH_UPGRADE -> Math.max(1, layers * 5 / 6);
            case FINCH, FINCH_C2, RWKV7 -> layers;
            case LLAMA -> 0;
        };
    }

    /** Channel-mix width F of a model of width D. */
    public static int ffnWidth(Architecture arch, int dModel) {
        return switch (arch) {
            case LLAMA -> dModel * 4 * 2 / 3 / 32 * 32;
            case RWKV7 -> dModel * 4;
            default -> dModel * 7 / 2;
        };
    }

    /**
     * RWKV-7's LoRA widths at width C, by RWKV-LM's December 2024 formulas (round half to even): decay and
     * in-context rate max(32, 32·round(1.8·√C/32)), value residual 1.3·√C, gate 0.6·C^0.8. They give the released
     * 0.1B, 1.5B and 2.9B widths (64/64/32/128, 96/96/64/256, 96/96/64/320); {w, a, v, g}.
     */
    public static int[] rwkv7LoraWidths(int c) {
        double root = Math.sqrt(c);
        return new int[] {width32(1.8 * root), width32(1.8 * root), width32(1.3 * root), width32(0.6 * Math.pow(c, 0.8))};
    }

    private static int width32(double x) {
        return Math.max(32, 32 * (int) Math.rint(x / 32));
    }

    /** Every tensor of the model, in the order the paper's code saves them. */
    public static List<TensorSpec> tensors(Architecture arch, int layers, int dModel, int vocab) {
        new Shape(layers, dModel); // validates
        if (vocab < 1) throw new IllegalArgumentException("vocabulary must be at least 1");
        if ((arch == Architecture.GOLDFINCH || arch == Architecture.GOLDFINCH_UPGRADE) && layers < 2) {
            throw new IllegalArgumentException("a GoldFinch model needs at least two layers (recurrent, then GOLD)");
        }
        int d = dModel, a = dModel, h = a / HEAD_SIZE, f = ffnWidth(arch, d);
        int c = recurrentLayers(arch, layers);
        LayerKind rnn = arch == Architecture.FINCH || arch == Architecture.GOLDFINCH_UPGRADE ? LayerKind.X060 : LayerKind.X060C2;
        List<TensorSpec> t = new ArrayList<>();
        t.add(spec("emb.weight", Init.std(1), vocab, d));
        if (arch == Architecture.RWKV7) return rwkv7(t, layers, d, f, vocab);
        for (int i = 0; i < layers; i++) {
            String p = "blocks." + i + ".";
            layerNorm(t, p + "ln1", d);
            layerNorm(t, p + "ln2", d);
            if (i == 0) layerNorm(t, p + "ln0", d);
            LayerKind kind = arch == Architecture.LLAMA ? LayerKind.LLAMA : i < c ? rnn : LayerKind.GOLD;
            switch (kind) {
                case X060 -> finchTimeMix(t, p + "att.", d, a, h);
                case X060C2 -> finchC2TimeMix(t, p + "att.", d, a, h);
                case GOLD -> goldTimeMix(t, p + "att.", d, a);
                case LLAMA -> {
                    for (String m : new String[] {"wq", "wk", "wv"}) t.add(linear(p + "att." + m + ".weight", a, d));
                    t.add(linear(p + "att.wo.weight", d, a));
                }
            }
            if (kind == LayerKind.LLAMA) {
                t.add(linear(p + "ffn.w1.weight", f, d));
                t.add(linear(p + "ffn.w2.weight", d, f));
                t.add(linear(p + "ffn.w3.weight", f, d));
            } else {
                t.add(mix(p + "ffn.time_maa_k", d));
                t.add(mix(p + "ffn.time_maa_r", d));
                t.add(linear(p + "ffn.key.weight", f, d));
                t.add(linear(p + "ffn.receptance.weight", d, d));
                t.add(linear(p + "ffn.value.weight", d, f));
            }
        }
        layerNorm(t, "ln_out", d);
        t.add(linear("head.weight", vocab, d));
        if (arch == Architecture.GOLDFINCH || arch == Architecture.GOLDFINCH_UPGRADE) {
            int cw = d / COMPRESSION;
            t.add(linear("w_kv_cache_a.weight", cw, d));
            t.add(linear("w_kv_cache_b.weight", a, d + cw));
        }
        return t;
    }

    /** RWKV-7 (x070), in the released files' key order (shared/spec/rwkv7-model.md); layer 0 without v0/v1/v2. */
    private static List<TensorSpec> rwkv7(List<TensorSpec> t, int layers, int c, int f, int vocab) {
        int[] lora = rwkv7LoraWidths(c);
        for (int i = 0; i < layers; i++) {
            String p = "blocks." + i + ".";
            layerNorm(t, p + "ln1", c);
            layerNorm(t, p + "ln2", c);
            if (i == 0) layerNorm(t, p + "ln0", c);
            String a = p + "att.";
            for (String m : new String[] {"r", "w", "k", "v", "a", "g"}) t.add(mix(a + "x_" + m, c));
            t.add(spec(a + "w0", Init.range(-4, 2), 1, 1, c));
            t.add(spec(a + "r_k", Init.std(0.1), c / HEAD_SIZE, HEAD_SIZE));
            t.add(loraIn(a + "w1", c, lora[0]));
            t.add(loraOut(a + "w2", lora[0], c));
            t.add(loraIn(a + "a1", c, lora[1]));
            t.add(loraOut(a + "a2", lora[1], c));
            t.add(spec(a + "a0", Init.range(-1, 1), 1, 1, c));
            t.add(loraIn(a + "g1", c, lora[3]));
            t.add(spec(a + "g2", Init.std(1 / Math.sqrt(lora[3])), lora[3], c));
            if (i > 0) {
                t.add(loraOut(a + "v2", lora[2], c));
                t.add(loraIn(a + "v1", c, lora[2]));
                t.add(spec(a + "v0", Init.range(-1, 1), 1, 1, c));
            }
            t.add(spec(a + "k_k", Init.range(0.5, 1.2), 1, 1, c));
            t.add(spec(a + "k_a", Init.range(0.5, 1.5), 1, 1, c));
            for (String m : new String[] {"receptance", "key", "value", "output"}) t.add(linear(a + m + ".weight", c, c));
            layerNorm(t, a + "ln_x", c);
            t.add(mix(p + "ffn.x_k", c));
            t.add(linear(p + "ffn.key.weight", f, c));
            t.add(linear(p + "ffn.value.weight", c, f));
        }
        layerNorm(t, "ln_out", c);
        t.add(linear("head.weight", vocab, c));
        return t;
    }

    private static void finchTimeMix(List<TensorSpec> t, String p, int d, int a, int h) {
        for (String m : new String[] {"x", "w", "k", "v", "r", "g"}) t.add(mix(p + "time_maa_" + m, d));
        t.add(loraIn(p + "time_maa_w1", d, 5 * MIX_LORA));
        t.add(loraOut(p + "time_maa_w2", 5, MIX_LORA, d));
        t.add(spec(p + "time_decay", Init.range(-6, -0.8), 1, 1, a));
        t.add(loraIn(p + "time_decay_w1", d, DECAY_LORA));
        t.add(loraOut(p + "time_decay_w2", DECAY_LORA, a));
        t.add(spec(p + "time_faaaa", Init.range(-0.5, 0.5), h, HEAD_SIZE));
        for (String m : new String[] {"receptance", "key", "value", "gate"}) t.add(linear(p + m + ".weight", a, d));
        t.add(linear(p + "output.weight", d, a));
        layerNorm(t, p + "ln_x", a);
    }

    private static void finchC2TimeMix(List<TensorSpec> t, String p, int d, int a, int h) {
        for (String m : new String[] {"x", "r", "k", "v", "w", "v2"}) t.add(mix(p + "time_maa_" + m, d));
        t.add(loraOut(p + "time_maa_w2", 5, MIX_LORA, d));
        t.add(loraIn(p + "time_maa_w1", d, 5 * MIX_LORA));
        t.add(spec(p + "time_decay", Init.range(-6, -0.8), 1, 1, a));
        t.add(loraIn(p + "time_decay_w1", d, DECAY_LORA));
        t.add(loraOut(p + "time_decay_w2", DECAY_LORA, a));
        t.add(loraIn(p + "time_value2_w1", d, VALUE2_LORA));
        t.add(loraOut(p + "time_value2_w2", VALUE2_LORA, a));
        t.add(spec(p + "time_faaaa", Init.range(-0.5, 0.5), h, HEAD_SIZE)); // stored, unused by x060c2
        for (String m : new String[] {"receptance", "key", "value"}) t.add(linear(p + m + ".weight", a, d));
        t.add(linear(p + "output.weight", d, a));
        layerNorm(t, p + "ln_x", a);
    }

    private static void goldTimeMix(List<TensorSpec> t, String p, int d, int a) {
        int kvLora = Math.max(d / 16, 64);
        t.add(mix(p + "time_maa_x", d));
        t.add(mix(p + "time_maa_q", d));
        t.add(mix(p + "time_maa_v_cache", d));
        t.add(mix(p + "time_maa_k", a));
        t.add(mix(p + "time_maa_v", d));
        t.add(loraIn(p + "time_maa_q_w1", d, MIX_LORA));
        t.add(loraOut(p + "time_maa_q_w2", MIX_LORA, d));
        t.add(loraIn(p + "time_maa_kv_w1", d, 2 * MIX_LORA));
        t.add(loraOut(p + "time_maa_kv_w2", 2, MIX_LORA, d));
        t.add(loraIn(p + "time_key_w1", a, kvLora));
        t.add(loraOut(p + "time_key_w2", kvLora, a));
        t.add(loraIn(p + "time_value_w1", a, kvLora));
        t.add(loraOut(p + "time_value_w2", kvLora, a));
        t.add(linear(p + "query.weight", a, d));
        t.add(linear(p + "output.weight", d, a));
        for (String n : new String[] {"ln_q", "ln_k", "ln_v", "ln_x"}) layerNorm(t, p + n, a);
    }

    private static TensorSpec spec(String name, Init init, long... shape) {
        return new TensorSpec(name, shape, init);
    }

    /** A linear map stored [out, in]: std 1/√in keeps the output at the input's scale. */
    private static TensorSpec linear(String name, int out, int in) {
        return spec(name, Init.std(1 / Math.sqrt(in)), out, in);
    }

    /** A token-shift mix coefficient [1, 1, n] in (0, 1). */
    private static TensorSpec mix(String name, int n) {
        return spec(name, Init.range(0, 1), 1, 1, n);
    }

    /** The first LoRA factor [in, r] (used as x·W1 under a tanh): tanh's argument has std 0.5. */
    private static TensorSpec loraIn(String name, int in, int r) {
        return spec(name, Init.std(0.5 / Math.sqrt(in)), in, r);
    }

    /** The second LoRA factor [(k,) r, out]: a small correction. */
    private static TensorSpec loraOut(String name, long... shape) {
        return spec(name, Init.std(0.02), shape);
    }

    private static void layerNorm(List<TensorSpec> t, String name, int n) {
        t.add(spec(name + ".weight", Init.range(0.9, 1.1), n));
        t.add(spec(name + ".bias", Init.range(-0.05, 0.05), n));
    }

    private static String description(Architecture arch, int layers, int dModel, int vocab, DType dtype, long seed) {
        return String.format(Locale.ROOT, """
                {
                 "architecture": "%s",
                 "n_layer": %d,
                 "n_embd": %d,
                 "vocab_size": %d,
                 "head_size": %d,
                 "rnn_layers": %d,
                 "rope_base": %s,
                 "dtype": "%s",
                 "seed": %d,
                 "random_weights": true
                }
                """, arch.id, layers, dModel, vocab, HEAD_SIZE, recurrentLayers(arch, layers),
                arch == Architecture.LLAMA ? Long.toString((long) LLAMA_ROPE_BASE) : "null",
                dtype == DType.F32 ? "fp32" : dtype.name().toLowerCase(Locale.ROOT), seed);
    }

    private static CheckpointWriter.Values values(TensorSpec t, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ t.name().hashCode() * 0xC2B2AE3D27D4EB4FL);
        float center = (float) t.init().center();
        float scale = (float) (t.init().halfWidth() * 0x1p-31);
        // Sequential: the writer asks for consecutive blocks, so the stream is the same however it is cut.
        return (offset, dst, count) -> {
            for (int i = 0; i < count; i++) dst[i] = center + scale * rnd.nextInt();
        };
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".pth") ? n.substring(0, n.length() - 4) : n;
    }
}
