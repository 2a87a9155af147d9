package dev.goldfinch.app.cli;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.io.Npy;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.reading.DocumentReader;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.DocumentStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Logits at every position, as float32 [T, V]; optionally fed in chunks. With --split K the first K tokens are
 * pre-filled into the store, everything in memory is dropped, the cache is reloaded, and the logits of positions
 * K … T−1 are written ([T−K, V]).
 */
@Command(name = "logits", mixinStandardHelpOptions = true, description = "Write the logits of every position as a float32 [T, V] .npy.")
final class LogitsCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--tokens", required = true, paramLabel = "T.npy", description = "Token ids (int32/int64 .npy).")
    Path tokens;

    @Option(names = "--out", required = true, paramLabel = "O.npy", description = "Where to write the logits.")
    Path out;

    @Option(names = "--chunk", paramLabel = "N", description = "Feed the sequence N tokens at a time (default: all at once).")
    Integer chunk;

    @Option(names = "--split", paramLabel = "K", description = "Pre-fill K tokens into --db, reload, then feed the rest.")
    Integer split;

    @Option(names = "--db", paramLabel = "FILE.sqlite", description = "The store used by --split.")
    Path db;

    @Option(names = "--precision", defaultValue = "f16", paramLabel = "f16|q8|f32", description = "Cache precision for --split (default ${DEFAULT-VALUE}).")
    String precision;

    @Override
    public Integer call() {
        int[] ids = Npy.readTokens(tokens);
        if (ids.length == 0) throw new EngineException(tokens + ": no tokens");
        int from = 0;
        InferenceState state;
        Model model = null;
        try {
            if (split != null) {
                if (db == null) throw new EngineException("--split needs --db FILE.sqlite");
                if (split <= 0 || split >= ids.length) throw new EngineException("--split " + split + " must be between 1 and " + (ids.length - 1));
                prefillAndForget(Arrays.copyOf(ids, split));
                model = modelOptions.load();
                try (DocumentStore store = DocumentStore.open(db)) {
                    long doc = store.documents().byHash(documentHash(Arrays.copyOf(ids, split))).orElseThrow().id();
                    state = new DocumentReader(store, model).open(doc);
                }
                if (state.recurrentSteps() != 0) throw new IllegalStateException("reload ran recurrent steps");
                from = split;
            } else {
                model = modelOptions.load();
                state = model.newState();
            }
            int v = model.config().vocab();
            int total = ids.length - from;
            int step = chunk == null ? total : Math.max(1, chunk);
            long cells = (long) total * v;
            if (cells > Integer.MAX_VALUE - 8) { // one Java array: T × V floats must stay under 2^31
                throw new EngineException("the logits of " + total + " positions × " + v + " ids do not fit one array; give at most "
                        + (Integer.MAX_VALUE - 8) / v + " tokens at a time");
            }
            float[] all = new float[(int) cells];
            for (int at = from; at < ids.length; at += step) {
                int n = Math.min(step, ids.length - at);
                float[] logits = model.forward(state, ids, at, n, Model.Logits.ALL);
                System.arraycopy(logits, 0, all, (at - from) * v, n * v);
            }
            Npy.writeFloats(out, all, total, v);
            System.out.println("wrote logits [" + total + ", " + v + "] to " + out);
        } finally {
            if (model != null) model.close();
        }
        return 0;
    }

    /** Pre-fills the prefix into the store with a model that is closed afterwards: nothing survives in memory. */
    private void prefillAndForget(int[] prefix) {
        try (Model model = modelOptions.load(); DocumentStore store = DocumentStore.open(db)) {
            long doc = store.documents().put(documentHash(prefix), tokens.getFileName() + "[0:" + prefix.length + "]", "", prefix, null);
            new DocumentReader(store, model).prefill(doc, CachePrecision.parse(precision), p -> { }, () -> false);
        }
    }

    private static String documentHash(int[] prefix) {
        return "tokens:" + DocumentStore.tokensHash(prefix);
    }
}
