package dev.goldfinch.app.cli;

import dev.goldfinch.engine.kernel.Parallel;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.WeightFormat;
import java.nio.file.Path;
import java.util.OptionalDouble;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every model-running command shares; impossible values are refused as the command line is read. */
final class ModelOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--model", required = true, paramLabel = "M.pth", description = "The checkpoint (.pth).")
    Path model;

    Double ropeBase;

    Integer threads;

    @Option(names = "--weights", defaultValue = "stored", paramLabel = "stored|int8",
            description = "Hold the large matrices as stored (f32/bf16, memory-mapped) or quantized to int8 at load (default ${DEFAULT-VALUE}).")
    String weights;

    @Option(names = "--rope-base", paramLabel = "B", description = "RoPE base (checkpoints do not record it; default: the JSON beside the checkpoint, else off).")
    void ropeBase(double b) {
        if (!(b >= 0 && b < Double.POSITIVE_INFINITY)) throw new ParameterException(command.commandLine(), "--rope-base must be a positive number (0 = off), not " + b);
        ropeBase = b;
    }

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    void threads(int n) {
        String problem = Parallel.threadsProblem(n);
        if (problem != null) throw new ParameterException(command.commandLine(), "--threads " + problem);
        threads = n;
    }

    /** The vocabulary: {@code given} (--vocab), else the one beside the model, else the one the app was last given. */
    static Path vocabulary(Path given, Path model, dev.goldfinch.app.ui.Settings app) {
        if (given != null) return given;
        java.util.Optional<Path> beside = dev.goldfinch.app.ui.LaunchOptions.vocabularyBeside(model);
        if (beside.isPresent()) return beside.get();
        if (app.vocabPath != null && java.nio.file.Files.isRegularFile(Path.of(app.vocabPath))) return Path.of(app.vocabPath);
        throw new dev.goldfinch.engine.EngineException("no vocabulary: give --vocab V.txt (there is no " + dev.goldfinch.app.ui.LaunchOptions.VOCABULARY_FILE
                + " beside " + model.getFileName() + ", and the app has none)");
    }

    Model load() {
        if (threads != null) Parallel.setThreads(threads);
        return ModelLoader.load(model, ropeBase == null ? OptionalDouble.empty() : OptionalDouble.of(ropeBase), WeightFormat.parse(weights));
    }
}
