package dev.goldfinch.app.cli.bench;

import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.RandomModels.Shape;
import dev.goldfinch.engine.model.SavedState;
import dev.goldfinch.engine.reading.DocumentReader;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.store.ModelIdentity;
import dev.goldfinch.engine.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench reload}: the first answer token from a saved document cache, against reading the document again. */
@Command(name = "reload", mixinStandardHelpOptions = true, description = "Time to the first answer token: reloading a saved document cache vs reading the document again.")
final class ReloadBench implements Callable<Integer> {
    @Option(names = "--shape", defaultValue = "L12-D768", paramLabel = "L12-D768|L24-D2048")
    String shape;

    @Option(names = "--tokens", defaultValue = "16384", paramLabel = "N", description = "Document length.")
    int length;

    @Mixin
    BenchOptions bench;

    @Override
    public Integer call() throws IOException {
        int threads = bench.start();
        double peak = MachineLimits.fmaPeak(threads, 3);
        Path checkpoint = bench.model(Architecture.GOLDFINCH, Shape.parse(shape), DType.BF16);
        Path db = Files.createTempFile("goldfinch-bench", ".sqlite");
        try {
            long doc;
            int[] question;
            double prefillSeconds, refillFirstToken, prefillLoad, reopenLoad;
            try (Model model = ModelLoader.load(checkpoint, OptionalDouble.empty()); DocumentStore store = DocumentStore.open(db)) {
                int[] tokens = new SplittableRandom(1).ints(length, 1, model.config().vocab()).toArray();
                question = new SplittableRandom(2).ints(16, 1, model.config().vocab()).toArray();
                doc = store.documents().put("bench", "bench", "", tokens, null);
                MachineLimits.CpuSample before = MachineLimits.cpuSample();
                long t0 = System.nanoTime();
                DocumentReader reader = new DocumentReader(store, model);
                reader.prefill(doc, CachePrecision.F16, p -> { }, () -> false);
                prefillSeconds = (System.nanoTime() - t0) / 1e9;
                prefillLoad = MachineLimits.otherLoad(before, MachineLimits.cpuSample());
                InferenceState st = reader.open(doc);
                long afterOpen = System.nanoTime();
                model.forward(st, question, 0, question.length, Model.Logits.LAST);
                refillFirstToken = prefillSeconds + (System.nanoTime() - afterOpen) / 1e9;
                System.out.printf(Locale.ROOT, "reload %s N=%d: pre-fill %.1f s (%.0f tokens/s); cache %.1f bytes/token%n", shape, length,
                        prefillSeconds, length / prefillSeconds, reader.savedCache(doc).orElseThrow().bytesPerToken());
            }
            // A new model instance and store connection: nothing of the pre-fill survives in memory.
            MachineLimits.CpuSample before = MachineLimits.cpuSample();
            long t0 = System.nanoTime();
            double firstToken, loaded, fetched, rebuilt, rebuildFlops;
            long steps;
            try (Model model = ModelLoader.load(checkpoint, OptionalDouble.empty()); DocumentStore store = DocumentStore.open(db)) {
                loaded = (System.nanoTime() - t0) / 1e9;
                // What DocumentReader.open does, in its two parts: the saved rows out of SQLite, then the GOLD rebuild.
                DocumentReader reader = new DocumentReader(store, model);
                SavedState saved = store.readings().load(reader.savedCache(doc).orElseThrow(), ModelIdentity.of(model).identity(), reader.tokensHash(doc));
                fetched = (System.nanoTime() - t0) / 1e9 - loaded;
                InferenceState st = model.restore(saved);
                rebuilt = (System.nanoTime() - t0) / 1e9 - loaded - fetched;
                reopenLoad = MachineLimits.otherLoad(before, MachineLimits.cpuSample());
                steps = st.recurrentSteps();
                model.forward(st, question, 0, question.length, Model.Logits.LAST);
                firstToken = (System.nanoTime() - t0) / 1e9;
                rebuildFlops = (double) model.cost().rebuildFlopsPerToken() * length;
            }
            System.out.printf(Locale.ROOT, "reload %s N=%d: first answer token %.2f s after reload (model load %.2f s + cache read from the store %.2f s"
                            + " + attention rebuilt %.2f s + 16-token question %.2f s; %d recurrent steps) vs %.1f s re-reading the document: %.0fx faster%n",
                    shape, length, firstToken, loaded, fetched, rebuilt, firstToken - loaded - fetched - rebuilt, steps, refillFirstToken, refillFirstToken / firstToken);
            System.out.printf(Locale.ROOT, "reload %s N=%d: reopening (read + rebuild) %.1f%% of the cold pre-fill; rebuild %.1f GFLOP/s of matrix products"
                            + " (%.0f MFLOP/token), %.0f%% of the %.0f GFLOP/s FMA peak measured now; other processes took %s of the CPUs during the pre-fill,"
                            + " %s during the reopening%n",
                    shape, length, 100 * (fetched + rebuilt) / prefillSeconds, rebuildFlops / rebuilt / 1e9, rebuildFlops / length / 1e6,
                    100 * rebuildFlops / rebuilt / 1e9 / peak, peak, MachineLimits.percent(prefillLoad), MachineLimits.percent(reopenLoad));
        } finally {
            Files.deleteIfExists(db);
            Files.deleteIfExists(Path.of(db + "-wal"));
            Files.deleteIfExists(Path.of(db + "-shm"));
        }
        return 0;
    }
}
