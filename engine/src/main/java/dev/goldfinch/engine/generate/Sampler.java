package dev.goldfinch.engine.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Chooses the next token from logits: penalties, then greedy or temperature / top-k / top-p sampling with a seeded generator. */
public final class Sampler {
    private final SamplingOptions options;
    private final SplittableRandom random;
    private final int[] counts;

    public Sampler(SamplingOptions options, int vocab) {
        this.options = options;
        this.random = new SplittableRandom(options.seed());
        this.counts = new int[vocab];
    }

    /** Picks a token and remembers it for the penalties. logits is modified. */
    public int next(float[] logits) {
        applyPenalties(logits);
        int token = options.isGreedy() ? argmax(logits) : sample(logits);
        counts[token]++;
        return token;
    }

    private void applyPenalties(float[] logits) {
        if (options.presencePenalty() == 0 && options.frequencyPenalty() == 0) return;
        for (int i = 0; i < logits.length; i++) {
            if (counts[i] > 0) logits[i] -= (float) (options.presencePenalty() + options.frequencyPenalty() * counts[i]);
        }
    }

    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    /**
     * Temperature, then top-k, then top-p (the smallest set of most likely tokens whose mass reaches p), then a draw.
     * The nucleus is found by bisecting on a probability threshold instead of sorting the whole vocabulary, so a step
     * costs a few passes over V numbers.
     */
    private int sample(float[] logits) {
        int v = logits.length;
        float max = Float.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double[] p = new double[v];
        double sum = 0;
        for (int i = 0; i < v; i++) {
            p[i] = Math.exp((logits[i] - max) / options.temperature());
            sum += p[i];
        }
        for (int i = 0; i < v; i++) p[i] /= sum;
        double cut = 0;
        if (options.topK() > 0 && options.topK() < v) cut = kthLargest(p, options.topK());
        if (options.topP() < 1) cut = Math.max(cut, nucleusThreshold(p, cut, options.topP()));
        double mass = 0;
        for (int i = 0; i < v; i++) if (p[i] >= cut) mass += p[i];
        double u = random.nextDouble() * mass;
        int last = -1;
        for (int i = 0; i < v; i++) {
            if (p[i] < cut) continue;
            last = i;
            u -= p[i];
            if (u <= 0) return i;
        }
        return last;
    }

    /** The largest threshold t ≥ floor such that the tokens with p ≥ t hold at least `target` of the (kept) mass. */
    private static double nucleusThreshold(double[] p, double floor, double target) {
        double kept = 0;
        for (double x : p) if (x >= floor) kept += x;
        double lo = floor, hi = 1;
        for (int iter = 0; iter < 60; iter++) {
            double mid = (lo + hi) / 2, mass = 0;
            for (double x : p) if (x >= mid) mass += x;
            if (mass >= target * kept) lo = mid;
            else hi = mid;
        }
        return lo;
    }

    /** The k-th largest value of p (k ≥ 1). */
    private static double kthLargest(double[] p, int k) {
        double[] copy = p.clone();
        Arrays.sort(copy);
        return copy[copy.length - k];
    }
}
