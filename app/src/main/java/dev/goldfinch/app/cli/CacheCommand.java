package dev.goldfinch.app.cli;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.io.Npy;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The compressed cache cc_t of a GoldFinch model, float32 [T, D/r]. */
@Command(name = "cache", mixinStandardHelpOptions = true, description = "Write the compressed cache cc_t of a GoldFinch model as float32 [T, D/r].")
final class CacheCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--tokens", required = true, paramLabel = "T.npy")
    Path tokens;

    @Option(names = "--out", required = true, paramLabel = "C.npy")
    Path out;

    @Override
    public Integer call() {
        int[] ids = Npy.readTokens(tokens);
        try (Model model = modelOptions.load()) {
            if (!model.config().architecture().hasCompressedCache()) {
                throw new EngineException(modelOptions.model + " is a " + model.config().architecture().id + " model: only GoldFinch models have a compressed cache");
            }
            InferenceState state = model.newState();
            model.forward(state, ids, 0, ids.length, Model.Logits.NONE);
            Npy.writeFloats(out, state.compressedCache(), ids.length, model.config().compressedWidth());
            System.out.println("wrote compressed cache [" + ids.length + ", " + model.config().compressedWidth() + "] to " + out);
        }
        return 0;
    }
}
