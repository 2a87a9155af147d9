package dev.goldfinch.app.cli;

import dev.goldfinch.engine.generate.SamplingOptions;
import picocli.CommandLine.Option;

/** The generation options `generate` and `ask` share: length, sampling, TOVA budget. */
final class SamplingMixin {
    @Option(names = "--max-new", defaultValue = "64", paramLabel = "N", description = "Tokens to generate at most (default ${DEFAULT-VALUE}).")
    int maxNew;

    @Option(names = "--greedy", description = "Always take the most likely token.")
    boolean greedy;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "X")
    double temperature;

    @Option(names = "--top-p", defaultValue = "0.85", paramLabel = "P")
    double topP;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "0 = no top-k cut.")
    int topK;

    @Option(names = "--presence-penalty", defaultValue = "0", paramLabel = "X")
    double presencePenalty;

    @Option(names = "--frequency-penalty", defaultValue = "0", paramLabel = "X")
    double frequencyPenalty;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed: the same seed gives the same answer.")
    long seed;

    @Option(names = "--tova-budget", defaultValue = "0", paramLabel = "B",
            description = "Bound every attention layer to B cached positions with TOVA (0 = unbounded).")
    int tovaBudget;

    SamplingOptions sampling() {
        return greedy ? SamplingOptions.greedy() : new SamplingOptions(temperature, topP, topK, presencePenalty, frequencyPenalty, seed);
    }
}
