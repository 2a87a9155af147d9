package dev.goldfinch.app.cli;

import dev.goldfinch.engine.generate.Generator;
import dev.goldfinch.engine.generate.SamplingOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The generation options `generate` and `ask` share: length, sampling, TOVA budget. A value the engine cannot use
 * (a NaN temperature, top-p 0, a billion new tokens) is refused as the command line is read, before any model loads.
 */
final class SamplingMixin {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    int maxNew;
    double temperature;
    double topP;
    int topK;
    double presencePenalty;
    double frequencyPenalty;
    int tovaBudget;

    @Option(names = "--greedy", description = "Always take the most likely token.")
    boolean greedy;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed: the same seed gives the same answer.")
    long seed;

    @Option(names = "--max-new", defaultValue = "64", paramLabel = "N",
            description = "Tokens to generate at most, 1 to " + Generator.MAX_NEW_TOKENS + " (default ${DEFAULT-VALUE}).")
    void maxNew(int n) {
        maxNew = check("--max-new", Generator.maxNewProblem(n), n);
    }

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "X", description = "0 = greedy (default ${DEFAULT-VALUE}).")
    void temperature(double x) {
        temperature = check("--temperature", SamplingOptions.temperatureProblem(x), x);
    }

    @Option(names = "--top-p", defaultValue = "0.85", paramLabel = "P", description = "More than 0, at most 1 (default ${DEFAULT-VALUE}).")
    void topP(double p) {
        topP = check("--top-p", SamplingOptions.topPProblem(p), p);
    }

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "0 = no top-k cut.")
    void topK(int k) {
        topK = check("--top-k", SamplingOptions.topKProblem(k), k);
    }

    @Option(names = "--presence-penalty", defaultValue = "0", paramLabel = "X")
    void presencePenalty(double x) {
        presencePenalty = check("--presence-penalty", SamplingOptions.penaltyProblem(x), x);
    }

    @Option(names = "--frequency-penalty", defaultValue = "0", paramLabel = "X")
    void frequencyPenalty(double x) {
        frequencyPenalty = check("--frequency-penalty", SamplingOptions.penaltyProblem(x), x);
    }

    @Option(names = "--tova-budget", defaultValue = "0", paramLabel = "B",
            description = "Bound every attention layer to B cached positions with TOVA (0 = unbounded).")
    void tovaBudget(int b) {
        tovaBudget = check("--tova-budget", b >= 0 ? null : "must be 0 (unbounded) or more, not " + b, b);
    }

    SamplingOptions sampling() {
        return greedy ? SamplingOptions.greedy() : new SamplingOptions(temperature, topP, topK, presencePenalty, frequencyPenalty, seed);
    }

    private <T> T check(String option, String problem, T value) {
        if (problem != null) throw new ParameterException(command.commandLine(), option + " " + problem);
        return value;
    }
}
