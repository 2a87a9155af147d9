package dev.goldfinch.engine.reading;

import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.DocumentStore;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.Random;

/**
 * A separate process that pre-fills a long random document into a store: KilledPrefillTest kills it midway.
 * Arguments: the store, the checkpoint, the document's length, the cache precision (f16 when left out).
 */
public final class PrefillProcessMain {
    public static void main(String[] args) {
        Path db = Path.of(args[0]), checkpoint = Path.of(args[1]);
        int length = Integer.parseInt(args[2]);
        CachePrecision precision = args.length > 3 ? CachePrecision.parse(args[3]) : CachePrecision.F16;
        try (Model model = ModelLoader.load(checkpoint, OptionalDouble.empty()); DocumentStore store = DocumentStore.open(db)) {
            int[] tokens = document(length, model.config().vocab());
            long doc = store.documents().put("long", "long", "", tokens, null);
            new DocumentReader(store, model).chunkTokens(32).checkpointEvery(256).prefill(doc, precision, p -> { }, () -> false);
        }
        System.out.println("finished");
    }

    static int[] document(int length, int vocab) {
        return new Random(7).ints(length, 1, vocab).toArray();
    }
}
