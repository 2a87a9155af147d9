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

    private int sample(float[] logits) {
        int v = logits.length;
        Integer[] order = new Integer[v];
        for (int i = 0; i < v; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        int keep = options.topK() > 0 ? Math.min(options.topK(), v) : v;
        double max = logits[order[0]];
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp((logits[order[i]] - max) / options.temperature());
            sum += p[i];
        }
        // top-p: the smallest head of the sorted distribution whose mass reaches p
        double cumulative = 0;
        int cut = keep;
        for (int i = 0; i < keep; i++) {
            cumulative += p[i] / sum;
            if (cumulative >= options.topP()) {
                cut = i + 1;
                break;
            }
        }
        double mass = 0;
        for (int i = 0; i < cut; i++) mass += p[i];
        double u = random.nextDouble() * mass;
        for (int i = 0; i < cut; i++) {
            u -= p[i];
            if (u <= 0) return order[i];
        }
        return order[cut - 1];
    }
}
