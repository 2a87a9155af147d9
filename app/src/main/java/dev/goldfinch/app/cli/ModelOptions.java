package dev.goldfinch.app.cli;

import dev.goldfinch.engine.kernel.Parallel;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.WeightFormat;
import java.nio.file.Path;
import java.util.OptionalDouble;
import picocli.CommandLine.Option;

/** The options every model-running command shares. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "M.pth", description = "The checkpoint (.pth).")
    Path model;

    @Option(names = "--rope-base", paramLabel = "B", description = "RoPE base (checkpoints do not record it; default: the JSON beside the checkpoint, else off).")
    Double ropeBase;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--weights", defaultValue = "stored", paramLabel = "stored|int8",
            description = "Hold the large matrices as stored (f32/bf16, memory-mapped) or quantized to int8 at load (default ${DEFAULT-VALUE}).")
    String weights;

    Model load() {
        if (threads != null) Parallel.setThreads(threads);
        return ModelLoader.load(model, ropeBase == null ? OptionalDouble.empty() : OptionalDouble.of(ropeBase), WeightFormat.parse(weights));
    }
}
