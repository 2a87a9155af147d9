package dev.goldfinch.app.cli;

import dev.goldfinch.engine.kernel.Int8MatMul;
import dev.goldfinch.engine.kernel.Int8Matrix;
import dev.goldfinch.engine.kernel.MatMul;
import dev.goldfinch.engine.kernel.Parallel;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.CostModel;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelConfig;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.Prefill;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.model.RandomModels.Shape;
import dev.goldfinch.engine.model.WeightFormat;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code goldfinch bench …}: the engine's speed on random-weight models of the paper's real shapes, next to what the
 * machine can do at best, measured in the same run. Every result is one greppable line starting with the benchmark's
 * name; detail lines start with two spaces.
 */
@Command(name = "bench", description = "Benchmarks on random weights of the real shapes: memory, decode, matmul, prefill.",
        subcommands = {BenchCommand.Memory.class, BenchCommand.Decode.class, BenchCommand.MatMulBench.class, BenchCommand.PrefillBench.class,
            AnswerBenchmarks.Tova.class, AnswerBenchmarks.Reload.class})
public final class BenchCommand implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Options every benchmark shares. */
    static final class Common {
        @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
        Integer threads;

        @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where random checkpoints are kept and reused (default: ~/.cache/goldfinch/bench).")
        Path cacheDir;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the random weights (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--vocab", defaultValue = "65536", paramLabel = "V", description = "Vocabulary (default ${DEFAULT-VALUE}, the RWKV World vocabulary).")
        int vocab;

        @Option(names = "--bandwidth-mib", defaultValue = "2048", paramLabel = "MiB", description = "Memory the bandwidth probe streams (default ${DEFAULT-VALUE}).")
        long bandwidthMib;

        /** Sets the thread count and prints what the benchmark runs on, as every benchmark's first line; returns the count. */
        int start() {
            int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            Parallel.setThreads(n);
            System.out.println("machine: " + MachineLimits.describe());
            return n;
        }

        double bandwidth(int threads) {
            return MachineLimits.memoryBandwidth(bandwidthMib << 20, threads, 5);
        }

        /** A random checkpoint of this architecture and shape from the cache directory, written there first if missing. */
        Path model(Architecture arch, Shape shape, DType dtype) {
            Path dir = cacheDir != null ? cacheDir : Path.of(System.getProperty("user.home"), ".cache", "goldfinch", "bench");
            String name = String.format(Locale.ROOT, "%s-%s-V%d-%s-seed%d.pth", arch.id, shape, vocab, dtype.name().toLowerCase(Locale.ROOT), seed);
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) return file;
            System.err.printf("bench: writing random checkpoint %s ...%n", file);
            long t0 = System.nanoTime();
            RandomModels.write(file, arch, shape, vocab, dtype, seed);
            double s = (System.nanoTime() - t0) / 1e9;
            System.err.printf("bench: wrote %.2f GB in %.1f s%n", size(file) / 1e9, s);
            return file;
        }

        /**
         * The random model for --weights: bf16 or f32 as stored, its pages read once so that timing starts from memory;
         * or int8, the bf16 checkpoint quantized at load as the int8 weights option does.
         */
        Model load(Architecture arch, Shape shape, String weights) {
            boolean int8 = isInt8(weights);
            Model model = ModelLoader.load(model(arch, shape, storedType(weights)), OptionalDouble.empty(),
                    int8 ? WeightFormat.INT8 : WeightFormat.STORED);
            if (!int8) touch(model);
            return model;
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    @Command(name = "memory", description = "The machine's memory bandwidth (streaming read) and FMA peak, with 1 thread and all threads.")
    static final class Memory implements Callable<Integer> {
        @Mixin
        Common common;

        @Override
        public Integer call() {
            int all = Runtime.getRuntime().availableProcessors();
            System.out.println("machine: " + MachineLimits.describe());
            MachineLimits.CpuSample c0 = MachineLimits.cpuSample();
            for (int t : threadCounts(all)) {
                System.out.printf(Locale.ROOT, "memory bandwidth, %d thread%s: %.1f GB/s%n", t, t == 1 ? "" : "s", common.bandwidth(t));
            }
            for (int t : threadCounts(all)) {
                System.out.printf(Locale.ROOT, "fma peak, %d thread%s: %.1f GFLOP/s%n", t, t == 1 ? "" : "s", MachineLimits.fmaPeak(t, 5));
            }
            System.out.println("  other processes took " + percent(MachineLimits.otherLoad(c0, MachineLimits.cpuSample())) + " of the CPUs during these measurements");
            return 0;
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    @Command(name = "decode", description = "Single-token decode tokens/s and the GB/s of weights it streams, next to the memory bandwidth.")
    static final class Decode implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--shape", required = true, paramLabel = "L24-D2048", description = "L12-D768, L24-D2048, L32-D2560, or any LN-DM.")
        String shape;

        @Option(names = "--arch", defaultValue = "goldfinch", paramLabel = "A", description = "goldfinch, finch, finchc2, rwkv7, llama, goldfinch_upgrade (default ${DEFAULT-VALUE}).")
        String arch;

        @Option(names = "--weights", defaultValue = "bf16", paramLabel = "bf16|f32|int8",
                description = "Weights as stored (bf16, f32) or bf16 quantized to int8 at load (default ${DEFAULT-VALUE}).")
        String weights;

        @Option(names = "--tokens", defaultValue = "32", paramLabel = "N", description = "Tokens timed (default ${DEFAULT-VALUE}).")
        int tokens;

        @Option(names = "--warmup", defaultValue = "8", paramLabel = "N", description = "Tokens decoded before timing (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--rounds", defaultValue = "3", paramLabel = "R", description = "Timed rounds of --tokens tokens; the best is reported (default ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() {
            Shape s = Shape.parse(shape);
            Architecture a = architecture(arch);
            int threads = common.start();
            try (Model model = common.load(a, s, weights)) {
                double bandwidth = common.bandwidth(threads);
                long bytes = model.cost().weightBytesPerToken();
                InferenceState st = model.newState();
                int[] tok = {1};
                for (int i = 0; i < warmup; i++) tok[0] = argmax(model.forward(st, tok, 0, 1, Model.Logits.LAST));
                // Rounds, best kept: the machines are shared, and a round that another process disturbed is slower, never faster.
                double[] rates = new double[rounds];
                double bestLoad = Double.NaN;
                for (int r = 0; r < rounds; r++) {
                    MachineLimits.CpuSample c0 = MachineLimits.cpuSample();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < tokens; i++) tok[0] = argmax(model.forward(st, tok, 0, 1, Model.Logits.LAST));
                    rates[r] = tokens / ((System.nanoTime() - t0) / 1e9);
                    double load = MachineLimits.otherLoad(c0, MachineLimits.cpuSample());
                    if (rates[r] >= max(rates)) bestLoad = load;
                }
                double tps = max(rates), gbs = bytes * tps / 1e9;
                System.out.printf(Locale.ROOT, "decode %s %s %s: %.2f tokens/s, %.1f GB/s of weights (memory bandwidth %.1f GB/s, %.0f%%)%n",
                        s, a.id, weights, tps, gbs, bandwidth, 100 * gbs / bandwidth);
                System.out.printf(Locale.ROOT, "  %d threads; %.3f GB of weights read per token (every matrix incl. the head, one embedding row); %.1f ms per token;"
                                + " best of %d rounds of %d tokens after %d warm-up (median %.2f tokens/s); other processes took %s of the CPUs during the best round%n",
                        threads, bytes / 1e9, 1000 / tps, rounds, tokens, warmup, median(rates), percent(bestLoad));
            }
            return 0;
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    @Command(name = "matmul", description = "GFLOP/s of MatMul.matmul for batches of rows against the FMA peak, 1 thread and all threads.")
    static final class MatMulBench implements Callable<Integer> {
        @Option(names = "--rows", defaultValue = "1,64,256", split = ",", paramLabel = "T", description = "Batch sizes T (default ${DEFAULT-VALUE}).")
        List<Integer> rows;

        @Option(names = "--shapes", defaultValue = "2048x2048,7168x2048,2048x7168", split = ",", paramLabel = "OUTxIN",
                description = "Weight shapes [out x in] (default ${DEFAULT-VALUE}).")
        List<String> shapes;

        @Option(names = "--weights", defaultValue = "bf16,f32", split = ",", paramLabel = "bf16|f32|int8",
                description = "Weight types; int8 is bf16 quantized as the int8 weights option does (default ${DEFAULT-VALUE}).")
        List<String> weights;

        @Option(names = "--threads", defaultValue = "1,all", split = ",", paramLabel = "N|all", description = "Thread counts (default ${DEFAULT-VALUE}).")
        List<String> threadList;

        @Option(names = "--seconds", defaultValue = "1.5", paramLabel = "S", description = "Time per measurement (default ${DEFAULT-VALUE}).")
        double seconds;

        @Override
        public Integer call() {
            int all = Runtime.getRuntime().availableProcessors();
            System.out.println("machine: " + MachineLimits.describe());
            for (String tl : threadList) {
                int threads = tl.equals("all") ? all : Integer.parseInt(tl);
                Parallel.setThreads(threads);
                double peak = MachineLimits.fmaPeak(threads, 5);
                double bandwidth = rows.contains(1) ? MachineLimits.memoryBandwidth(1L << 30, threads, 3) : 0;
                String th = threads + " thread" + (threads == 1 ? "" : "s");
                System.out.printf(Locale.ROOT, "fma peak, %s: %.1f GFLOP/s%n", th, peak);
                if (bandwidth > 0) System.out.printf(Locale.ROOT, "memory bandwidth, %s: %.1f GB/s%n", th, bandwidth);
                for (String shape : shapes) {
                    String[] oi = shape.toLowerCase(Locale.ROOT).split("x");
                    int out = Integer.parseInt(oi[0]), in = Integer.parseInt(oi[1]);
                    for (String w : weights) {
                        boolean int8 = isInt8(w);
                        DType dt = storedType(w);
                        // Enough copies that one pass over them is far larger than the last-level cache (as a model's weights are).
                        long bytes = int8 ? (long) out * in + (long) out * (in / Int8Matrix.blockFor(in)) * 4 : (long) out * in * dt.bytes;
                        int copies = (int) Math.max(1, Math.min(16, (256L << 20) / bytes + 1));
                        try (Arena arena = Arena.ofShared()) {
                            Kernel[] ws = new Kernel[copies];
                            for (int c = 0; c < copies; c++) {
                                Tensor m = randomMatrix(arena, out, in, dt, 17 + c);
                                if (int8) {
                                    Int8Matrix q = Int8Matrix.quantize(m, arena);
                                    ws[c] = (x, t, y) -> Int8MatMul.matmul(q, x, t, y);
                                } else {
                                    ws[c] = (x, t, y) -> MatMul.matmul(m, x, t, y);
                                }
                            }
                            for (int t : rows) {
                                double[] r = timeMatMul(ws, t, out, in, seconds);
                                double gflops = 2.0 * t * out * in * r[0] / 1e9;
                                System.out.printf(Locale.ROOT, "matmul %dx%d %s T=%d, %s: %.1f GFLOP/s (FMA peak %.1f GFLOP/s, %.0f%%)", out, in, w, t, th,
                                        gflops, peak, 100 * gflops / peak);
                                if (t == 1) {
                                    double gbs = bytes * r[0] / 1e9;
                                    System.out.printf(Locale.ROOT, ", %.1f GB/s of weights (memory bandwidth %.1f GB/s, %.0f%%)", gbs, bandwidth, 100 * gbs / bandwidth);
                                }
                                System.out.printf(Locale.ROOT, "; %.3f ms per call; other load %s%n", 1000 / r[0], percent(r[1]));
                            }
                        }
                    }
                }
            }
            return 0;
        }

        /** One weight copy's y = W·x over t rows. */
        private interface Kernel {
            void run(float[] x, int t, float[] y);
        }

        /** Calls per second of y = W·x over T rows, cycling through the weight copies: {calls/s, other processes' share}. */
        private static double[] timeMatMul(Kernel[] ws, int t, int out, int in, double seconds) {
            float[] x = new float[t * in];
            SplittableRandom rnd = new SplittableRandom(5);
            for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
            float[] y = new float[t * out];
            long warmEnd = System.nanoTime() + (long) (0.3e9 * Math.max(1, seconds / 2));
            int k = 0;
            while (System.nanoTime() < warmEnd) ws[k++ % ws.length].run(x, t, y);
            // Three parts, the fastest kept (a part another process disturbed is slower, never faster).
            double best = 0, load = Double.NaN;
            for (int part = 0; part < 3; part++) {
                MachineLimits.CpuSample c0 = MachineLimits.cpuSample();
                long calls = 0, t0 = System.nanoTime(), end = t0 + (long) (seconds / 3 * 1e9), now;
                do {
                    ws[k++ % ws.length].run(x, t, y);
                    calls++;
                    now = System.nanoTime();
                } while (now < end);
                double rate = calls / ((now - t0) / 1e9);
                if (rate > best) {
                    best = rate;
                    load = MachineLimits.otherLoad(c0, MachineLimits.cpuSample());
                }
            }
            return new double[] {best, load};
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    @Command(name = "prefill", description = "Pre-fill tokens/s and GFLOP/s: GoldFinch/Finch by the linear-time Prefill, Llama by full attention.")
    static final class PrefillBench implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--shape", required = true, paramLabel = "L24-D2048", description = "L12-D768, L24-D2048, or any LN-DM.")
        String shape;

        @Option(names = "--arch", defaultValue = "goldfinch", paramLabel = "A", description = "goldfinch, finch, finchc2, rwkv7, llama, goldfinch_upgrade (default ${DEFAULT-VALUE}).")
        String arch;

        @Option(names = "--weights", defaultValue = "bf16", paramLabel = "bf16|f32|int8",
                description = "Weights as stored (bf16, f32) or bf16 quantized to int8 at load (default ${DEFAULT-VALUE}).")
        String weights;

        @Option(names = "--tokens", required = true, split = ",", paramLabel = "N", description = "Document lengths, e.g. 1024,4096,16384.")
        List<Integer> tokens;

        @Option(names = "--chunk", defaultValue = "256", paramLabel = "N", description = "Tokens per pre-fill chunk (default ${DEFAULT-VALUE}, as the app).")
        int chunk;

        @Option(names = "--time-limit", defaultValue = "1800", paramLabel = "S",
                description = "Stop a length after this many seconds and report the part done (default ${DEFAULT-VALUE}).")
        double timeLimit;

        @Override
        public Integer call() {
            Shape s = Shape.parse(shape);
            Architecture a = architecture(arch);
            int threads = common.start();
            try (Model model = common.load(a, s, weights)) {
                ModelConfig c = model.config();
                double peak = MachineLimits.fmaPeak(threads, 5);
                CostModel cost = model.cost();
                long matmulFlops = cost.prefillFlopsPerToken();
                boolean llama = a == Architecture.LLAMA;
                System.out.printf(Locale.ROOT, "  %s %s %s: %.3f GFLOP of matrix products per document token (%s); FMA peak %.1f GFLOP/s on %d threads%n",
                        a.id, s, weights, matmulFlops / 1e9,
                        c.architecture().hasCompressedCache() ? "recurrent layers 0.." + (c.rnnLayers() - 1) + ", cc_t and the GOLD key/value LoRAs; GOLD layers and head only over the last "
                                + (2 * (c.layerCount() - c.rnnLayers()) + 1) + " positions" : llama ? "every block; attention counted on top" : "every block",
                        peak, threads);
                int[] warm = randomTokens(Math.min(512, Math.max(chunk, 64)), c.vocab(), 99);
                run(model, warm, Double.MAX_VALUE); // compile and page in
                for (int n : tokens) {
                    long attentionLayers = c.attentionLayers();
                    long kvBytes = llama ? 2L * attentionLayers * c.dAtt() * 4 * n : (a.hasCompressedCache() ? 2L * attentionLayers * c.dAtt() * 4 * n : 0);
                    long heap = Runtime.getRuntime().maxMemory();
                    if (kvBytes * 1.25 > heap) {
                        System.out.printf(Locale.ROOT, "prefill %s %s %s %d tokens: skipped: the attention layers' k/v cache needs %.1f GB, the heap may grow to %.1f GB (GOLDFINCH_JAVA_OPTS=-Xmx...)%n",
                                s, a.id, weights, n, kvBytes / 1e9, heap / 1e9);
                        continue;
                    }
                    MachineLimits.CpuSample c0 = MachineLimits.cpuSample();
                    Result r = run(model, randomTokens(n, c.vocab(), n), timeLimit);
                    double load = MachineLimits.otherLoad(c0, MachineLimits.cpuSample());
                    double flops = (double) matmulFlops * r.done + (llama ? cost.attentionFlops(r.done) : 0);
                    if (r.done == n) {
                        System.out.printf(Locale.ROOT, "prefill %s %s %s %d tokens: %.1f tokens/s, %.1f GFLOP/s (FMA peak %.1f, %.0f%%); %.1f s%n",
                                s, a.id, weights, n, n / r.seconds, flops / r.seconds / 1e9, peak, 100 * flops / r.seconds / 1e9 / peak, r.seconds);
                    } else {
                        System.out.printf(Locale.ROOT, "prefill %s %s %s %d tokens: bounded: stopped after %.0f s (--time-limit) at %d tokens: %.1f tokens/s so far, %.1f GFLOP/s%n",
                                s, a.id, weights, n, r.seconds, r.done, r.done / r.seconds, flops / r.seconds / 1e9);
                    }
                    System.out.printf(Locale.ROOT, "  tokens/s over the last quarter (positions %d..%d): %.1f%s; other processes took %s of the CPUs%n", r.quarterFrom, r.done,
                            r.lastQuarterRate, llama ? String.format(Locale.ROOT, "; attention %.3f GFLOP per token on average", cost.attentionFlops(r.done) / 1e9 / r.done) : "",
                            percent(load));
                }
            }
            return 0;
        }

        private record Result(int done, double seconds, int quarterFrom, double lastQuarterRate) {}

        private Result run(Model model, int[] ids, double limit) {
            InferenceState st = model.newState();
            Prefill p = new Prefill(model, st);
            long t0 = System.nanoTime();
            int quarterFrom = ids.length - ids.length / 4;
            long tq = -1;
            int from = 0, qFrom = 0;
            while (from < ids.length) {
                if (tq < 0 && from >= quarterFrom) {
                    tq = System.nanoTime();
                    qFrom = from;
                }
                int n = Math.min(chunk, ids.length - from);
                p.feed(ids, from, n);
                from += n;
                if ((System.nanoTime() - t0) / 1e9 > limit && from < ids.length) break;
            }
            if (from == ids.length) p.finish();
            long t1 = System.nanoTime();
            if (tq < 0) {
                tq = t0;
                qFrom = 0;
            }
            return new Result(from, (t1 - t0) / 1e9, qFrom, (from - qFrom) / Math.max(1e-9, (t1 - tq) / 1e9));
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    /** Reads every page of the mapped weights once, so timing starts from memory, not from disk. */
    private static void touch(Model model) {
        long s = 0;
        for (Tensor t : model.checkpoint().tensors().values()) s += MachineLimits.touch(t.data());
        if (s == 42) System.out.print("");
    }

    private static Tensor randomMatrix(Arena arena, int out, int in, DType dt, long seed) {
        long n = (long) out * in;
        MemorySegment seg = arena.allocate(n * dt.bytes, 64);
        SplittableRandom rnd = new SplittableRandom(seed);
        float scale = (float) (Math.sqrt(3.0 / in) * 0x1p-31);
        ValueLayout.OfShort s16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfFloat f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            float v = scale * rnd.nextInt();
            if (dt == DType.BF16) seg.setAtIndex(s16, i, (short) (Float.floatToRawIntBits(v) >>> 16));
            else seg.setAtIndex(f32, i, v);
        }
        return new Tensor("bench[" + out + "x" + in + "]", dt, new long[] {out, in}, seg);
    }

    private static int[] randomTokens(int n, int vocab, long seed) {
        return new SplittableRandom(seed).ints(n, 0, vocab).toArray();
    }

    static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) m = Math.max(m, x);
        return m;
    }

    static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    static String percent(double share) {
        return Double.isNaN(share) ? "(unknown)" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    private static List<Integer> threadCounts(int all) {
        List<Integer> out = new ArrayList<>(List.of(1));
        if (all > 1) out.add(all);
        return out;
    }

    static Architecture architecture(String id) {
        for (Architecture a : Architecture.values()) if (a.id.equalsIgnoreCase(id)) return a;
        throw new IllegalArgumentException("unknown architecture '" + id + "' (goldfinch, finch, finchc2, rwkv7, llama, goldfinch_upgrade)");
    }

    /** --weights int8: the bf16 checkpoint, quantized at load as the int8 weights option does. */
    private static boolean isInt8(String weights) {
        return weights.equalsIgnoreCase("int8");
    }

    /** The checkpoint type a --weights value reads: bf16 for int8, else the type named. */
    private static DType storedType(String weights) {
        return isInt8(weights) ? DType.BF16 : dtype(weights);
    }

    static DType dtype(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "bf16" -> DType.BF16;
            case "f32", "fp32" -> DType.F32;
            default -> throw new IllegalArgumentException("--weights must be bf16 or f32, not '" + s + "'");
        };
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
