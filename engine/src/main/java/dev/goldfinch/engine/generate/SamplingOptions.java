package dev.goldfinch.engine.generate;

/**
 * How the next token is chosen. temperature 0 means greedy (argmax). Penalties follow RWKV practice:
 * logit −= presence + frequency · count for every token already generated in this answer.
 */
public record SamplingOptions(double temperature, double topP, int topK, double presencePenalty,
                              double frequencyPenalty, long seed) {

    public static SamplingOptions greedy() {
        return new SamplingOptions(0, 1, 0, 0, 0, 0);
    }

    public boolean isGreedy() {
        return temperature <= 0;
    }
}
