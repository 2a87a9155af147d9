package dev.goldfinch.app.cli.bench;

import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.RandomModels.Shape;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench decode}: one token at a time, and the weights it streams per second against the memory bandwidth. */
@Command(name = "decode", mixinStandardHelpOptions = true, description = "Single-token decode tokens/s and the GB/s of weights it streams, next to the memory bandwidth.")
final class DecodeBench implements Callable<Integer> {
    @Mixin
    BenchOptions bench;

    @Mixin
    RandomModelOptions choice;

    @Option(names = "--tokens", defaultValue = "32", paramLabel = "N", description = "Tokens timed (default ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--warmup", defaultValue = "8", paramLabel = "N", description = "Tokens decoded before timing (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "R", description = "Timed rounds of --tokens tokens; the best is reported (default ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() {
        Shape s = choice.shape();
        Architecture a = choice.architecture();
        int threads = bench.start();
        try (Model model = bench.load(a, s, choice.weights)) {
            double bandwidth = bench.bandwidth(threads);
            long bytes = model.cost().weightBytesPerToken();
            InferenceState st = model.newState();
            int[] tok = {1};
            decode(model, st, tok, warmup);
            // Rounds, best kept: the machines are shared, and a round that another process disturbed is slower, never faster.
            double[] rates = new double[rounds];
            double bestLoad = Double.NaN;
            for (int r = 0; r < rounds; r++) {
                MachineLimits.CpuSample c0 = MachineLimits.cpuSample();
                rates[r] = decode(model, st, tok, tokens);
                double load = MachineLimits.otherLoad(c0, MachineLimits.cpuSample());
                if (rates[r] >= max(rates)) bestLoad = load;
            }
            double tps = max(rates), gbs = bytes * tps / 1e9;
            System.out.printf(Locale.ROOT, "decode %s %s %s: %.2f tokens/s, %.1f GB/s of weights (memory bandwidth %.1f GB/s, %.0f%%)%n",
                    s, a.id, choice.weights, tps, gbs, bandwidth, 100 * gbs / bandwidth);
            System.out.printf(Locale.ROOT, "  %d threads; %.3f GB of weights read per token (every matrix incl. the head, one embedding row); %.1f ms per token;"
                            + " best of %d rounds of %d tokens after %d warm-up (median %.2f tokens/s); other processes took %s of the CPUs during the best round%n",
                    threads, bytes / 1e9, 1000 / tps, rounds, tokens, warmup, median(rates), MachineLimits.percent(bestLoad));
        }
        return 0;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) m = Math.max(m, x);
        return m;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    /** Greedy-decodes {@code tokens} tokens one at a time on {@code st}, from {@code tok[0]} (left at the last); tokens/s. */
    static double decode(Model model, InferenceState st, int[] tok, int tokens) {
        long t0 = System.nanoTime();
        for (int i = 0; i < tokens; i++) tok[0] = argmax(model.forward(st, tok, 0, 1, Model.Logits.LAST));
        return tokens / ((System.nanoTime() - t0) / 1e9);
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
