package dev.goldfinch.app.cli;

import dev.goldfinch.engine.io.Npy;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Logits at every position, as float32 [T, V]; optionally fed in chunks. */
@Command(name = "logits", description = "Write the logits of every position as a float32 [T, V] .npy.")
final class LogitsCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--tokens", required = true, paramLabel = "T.npy", description = "Token ids (int32/int64 .npy).")
    Path tokens;

    @Option(names = "--out", required = true, paramLabel = "O.npy", description = "Where to write the logits.")
    Path out;

    @Option(names = "--chunk", paramLabel = "N", description = "Feed the sequence N tokens at a time (default: all at once).")
    Integer chunk;

    @Override
    public Integer call() {
        int[] ids = Npy.readTokens(tokens);
        try (Model model = modelOptions.load()) {
            int v = model.config().vocab();
            int step = chunk == null ? ids.length : Math.max(1, chunk);
            float[] all = new float[ids.length * v];
            InferenceState state = model.newState();
            for (int from = 0; from < ids.length; from += step) {
                int n = Math.min(step, ids.length - from);
                float[] logits = model.forward(state, ids, from, n, Model.Logits.ALL);
                System.arraycopy(logits, 0, all, from * v, n * v);
            }
            Npy.writeFloats(out, all, ids.length, v);
            System.out.println("wrote logits [" + ids.length + ", " + v + "] to " + out);
        }
        return 0;
    }
}
