package dev.goldfinch.engine.generate;

/**
 * How the next token is chosen. temperature 0 means greedy (argmax). Penalties follow RWKV practice:
 * logit −= presence + frequency · count for every token already generated in this answer.
 *
 * <p>Impossible values are refused, not bent into possible ones: a NaN temperature would make every probability NaN
 * (and the draw a constant), a top-p of 0 keeps no token. The checks are public so that a caller can name its own
 * field ("--top-p must be …").
 */
public record SamplingOptions(double temperature, double topP, int topK, double presencePenalty,
                              double frequencyPenalty, long seed) {

    public SamplingOptions {
        refuse("temperature", temperatureProblem(temperature));
        refuse("top-p", topPProblem(topP));
        refuse("top-k", topKProblem(topK));
        refuse("presence penalty", penaltyProblem(presencePenalty));
        refuse("frequency penalty", penaltyProblem(frequencyPenalty));
    }

    public static SamplingOptions greedy() {
        return new SamplingOptions(0, 1, 0, 0, 0, 0);
    }

    public boolean isGreedy() {
        return temperature <= 0;
    }

    /** Null if {@code t} is a temperature, else what is wrong with it ("must be …, not NaN"). */
    public static String temperatureProblem(double t) {
        return t >= 0 && t < Double.POSITIVE_INFINITY ? null : "must be 0 (greedy) or a positive number, not " + t;
    }

    public static String topPProblem(double p) {
        return p > 0 && p <= 1 ? null : "must be more than 0 and at most 1, not " + p;
    }

    public static String topKProblem(int k) {
        return k >= 0 ? null : "must be 0 (no cut) or more, not " + k;
    }

    public static String penaltyProblem(double x) {
        return Double.isFinite(x) ? null : "must be a finite number, not " + x;
    }

    private static void refuse(String field, String problem) {
        if (problem != null) throw new IllegalArgumentException(field + " " + problem);
    }
}
