package dev.goldfinch.app.cli;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.generate.Generator;
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
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Continue the tokens of T.npy; print the new ids as a JSON array.")
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--tokens", required = true, paramLabel = "T.npy")
    Path tokens;

    @Mixin
    SamplingMixin sampling;

    @Option(names = "--stop-at-eos", description = "Stop at <|endoftext|> (id 0).")
    boolean stopAtEos;

    @Override
    public Integer call() {
        int[] ids = Npy.readTokens(tokens);
        if (ids.length == 0) throw new EngineException(tokens + ": no tokens to continue");
        try (Model model = modelOptions.load()) {
            InferenceState state = model.newState();
            state.setTovaBudget(sampling.tovaBudget);
            int[] out = new Generator(model).generate(state, ids, sampling.maxNew, sampling.sampling(), t -> stopAtEos && t == 0, t -> { }, () -> false);
            System.out.println(Arrays.stream(out).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]")));
        }
        return 0;
    }
}
