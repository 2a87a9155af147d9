package dev.goldfinch.app.cli.bench;

import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.CostModel;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelConfig;
import dev.goldfinch.engine.model.Prefill;
import dev.goldfinch.engine.model.RandomModels.Shape;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench prefill}: reading documents of several lengths, in GFLOP/s against the FMA peak. */
@Command(name = "prefill", mixinStandardHelpOptions = true, description = "Pre-fill tokens/s and GFLOP/s: GoldFinch/Finch by the linear-time Prefill, Llama by full attention.")
final class PrefillBench implements Callable<Integer> {
    @Mixin
    BenchOptions bench;

    @Mixin
    RandomModelOptions choice;

    @Option(names = "--tokens", required = true, split = ",", paramLabel = "N", description = "Document lengths, e.g. 1024,4096,16384.")
    List<Integer> tokens;

    @Option(names = "--chunk", defaultValue = "256", paramLabel = "N", description = "Tokens per pre-fill chunk (default ${DEFAULT-VALUE}, as the app).")
    int chunk;

    @Option(names = "--time-limit", defaultValue = "1800", paramLabel = "S",
            description = "Stop a length after this many seconds and report the part done (default ${DEFAULT-VALUE}).")
    double timeLimit;

    @Override
    public Integer call() {
        Shape s = choice.shape();
        Architecture a = choice.architecture();
        String weights = choice.weights;
        int threads = bench.start();
        try (Model model = bench.load(a, s, weights)) {
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
                long kvBytes = 2L * c.attentionLayers() * c.dAtt() * 4 * n; // none for the recurrent-only models
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
                        MachineLimits.percent(load));
            }
        }
        return 0;
    }

    private record Result(int done, double seconds, int quarterFrom, double lastQuarterRate) {}

    /** Pre-fills ids chunk by chunk until done or past the time limit, timing the last quarter apart. */
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

    private static int[] randomTokens(int n, int vocab, long seed) {
        return new SplittableRandom(seed).ints(n, 0, vocab).toArray();
    }
}
