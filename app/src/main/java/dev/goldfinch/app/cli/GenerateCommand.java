package dev.goldfinch.app.cli;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.generate.Generator;
import dev.goldfinch.engine.generate.SamplingOptions;
import dev.goldfinch.engine.io.Npy;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Continues a token sequence and prints the new ids as a JSON array. */
@Command(name = "generate", description = "Continue the tokens of T.npy; print the new ids as a JSON array.")
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--tokens", required = true, paramLabel = "T.npy")
    Path tokens;

    @Option(names = "--max-new", defaultValue = "64", paramLabel = "N", description = "Tokens to generate (default ${DEFAULT-VALUE}).")
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

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S")
    long seed;

    @Option(names = "--tova-budget", defaultValue = "0", paramLabel = "B",
            description = "Bound every attention layer to B cached positions with TOVA (0 = unbounded).")
    int tovaBudget;

    @Option(names = "--stop-at-eos", description = "Stop at <|endoftext|> (id 0).")
    boolean stopAtEos;

    @Override
    public Integer call() {
        int[] ids = Npy.readTokens(tokens);
        if (ids.length == 0) throw new EngineException(tokens + ": no tokens to continue");
        SamplingOptions options = greedy ? SamplingOptions.greedy()
                : new SamplingOptions(temperature, topP, topK, presencePenalty, frequencyPenalty, seed);
        try (Model model = modelOptions.load()) {
            InferenceState state = model.newState();
            state.setTovaBudget(tovaBudget);
            int[] out = new Generator(model).generate(state, ids, maxNew, options, t -> stopAtEos && t == 0, t -> { }, () -> false);
            System.out.println(Arrays.stream(out).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]")));
        }
        return 0;
    }
}
