package dev.goldfinch.app.cli;

import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.model.RandomModels.Shape;
import dev.goldfinch.engine.model.SavedState;
import dev.goldfinch.engine.reading.DocumentReader;
import dev.goldfinch.engine.store.CachePrecision;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Benchmarks of answering from a document: TOVA-bounded decoding, and reloading a saved cache against re-reading. */
final class AnswerBenchmarks {
    private AnswerBenchmarks() {
    }

    /**
     * A document state of `length` positions made without pre-filling: random token ids and cc_t rows, restored the
     * way a saved cache is (every GOLD key and value rebuilt). Decoding cost depends only on the cache length.
     */
    static InferenceState syntheticDocument(Model model, int length, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int cw = model.config().compressedWidth();
        int[] tokens = r.ints(length, 1, model.config().vocab()).toArray();
        float[] cc = new float[length * cw];
        for (int i = 0; i < cc.length; i++) cc[i] = (float) (r.nextGaussian() * 2);
        List<SavedState.Layer> layers = model.saveLayers(model.newState());
        return model.restore(new SavedState(length, tokens, cc, layers));
    }

    static int[] parseList(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    @Command(name = "tova", description = "Decode tokens/s and attention working memory against document length, full attention vs TOVA budgets.")
    static final class Tova implements Callable<Integer> {
        @Option(names = "--shape", defaultValue = "L12-D768", paramLabel = "L12-D768|L24-D2048")
        String shape;

        @Option(names = "--lengths", defaultValue = "1024,4096,16384,65536", paramLabel = "N,N,...")
        String lengths;

        @Option(names = "--budgets", defaultValue = "0,512,2048", paramLabel = "B,B,...", description = "0 = full attention.")
        String budgets;

        @Option(names = "--tokens", defaultValue = "16", paramLabel = "N", description = "Tokens decoded per measurement.")
        int tokens;

        @Mixin
        BenchCommand.Common common;

        @Override
        public Integer call() {
            common.start();
            try (Model model = ModelLoader.load(common.model(Architecture.GOLDFINCH, Shape.parse(shape), DType.BF16), OptionalDouble.empty())) {
                System.out.printf("tova %s: decode after a document of N tokens; B = TOVA budget per GOLD layer (0 = full attention)%n", shape);
                for (int n : parseList(lengths)) {
                    long t0 = System.nanoTime();
                    InferenceState doc = syntheticDocument(model, n, n);
                    double rebuild = (System.nanoTime() - t0) / 1e9;
                    for (int b : parseList(budgets)) {
                        InferenceState st = doc.copy();
                        st.setTovaBudget(b);
                        int[] next = {1};
                        model.forward(st, next, 0, 1, Model.Logits.LAST); // the first step still sees everything
                        long attended = st.attendedPositions();
                        long s0 = System.nanoTime();
                        for (int i = 0; i < tokens; i++) model.forward(st, new int[] {1 + i}, 0, 1, Model.Logits.LAST);
                        double secs = (System.nanoTime() - s0) / 1e9;
                        System.out.printf(Locale.ROOT, "tova %s N=%d B=%s: %.2f tokens/s, attention working memory %.1f MB, %d positions attended per token (rebuild %.1f s)%n",
                                shape, n, b == 0 ? "full" : Integer.toString(b), tokens / secs, st.attentionCacheBytes() / 1e6,
                                (st.attendedPositions() - attended) / tokens, rebuild);
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "reload", description = "Time to the first answer token: reloading a saved document cache vs reading the document again.")
    static final class Reload implements Callable<Integer> {
        @Option(names = "--shape", defaultValue = "L12-D768", paramLabel = "L12-D768|L24-D2048")
        String shape;

        @Option(names = "--tokens", defaultValue = "16384", paramLabel = "N", description = "Document length.")
        int length;

        @Mixin
        BenchCommand.Common common;

        @Override
        public Integer call() throws IOException {
            common.start();
            Path checkpoint = common.model(Architecture.GOLDFINCH, Shape.parse(shape), DType.BF16);
            Path db = Files.createTempFile("goldfinch-bench", ".sqlite");
            int[] question = new SplittableRandom(2).ints(16, 1, RandomModels.DEFAULT_VOCAB).toArray();
            try {
                long doc;
                double prefillSeconds, refillFirstToken;
                try (Model model = ModelLoader.load(checkpoint, OptionalDouble.empty()); DocumentStore store = DocumentStore.open(db)) {
                    int[] tokens = new SplittableRandom(1).ints(length, 1, model.config().vocab()).toArray();
                    doc = store.documents().put("bench", "bench", "", tokens, null);
                    long t0 = System.nanoTime();
                    DocumentReader reader = new DocumentReader(store, model);
                    reader.prefill(doc, CachePrecision.F16, p -> { }, () -> false);
                    prefillSeconds = (System.nanoTime() - t0) / 1e9;
                    InferenceState st = reader.open(doc);
                    long afterOpen = System.nanoTime();
                    model.forward(st, question, 0, question.length, Model.Logits.LAST);
                    refillFirstToken = prefillSeconds + (System.nanoTime() - afterOpen) / 1e9;
                    System.out.printf(Locale.ROOT, "reload %s N=%d: pre-fill %.1f s (%.0f tokens/s); cache %.1f bytes/token%n", shape, length,
                            prefillSeconds, length / prefillSeconds, reader.savedCache(doc).orElseThrow().bytesPerToken());
                }
                // A new model instance and store connection: nothing of the pre-fill survives in memory.
                long t0 = System.nanoTime();
                double firstToken, loaded, reopened;
                long steps;
                try (Model model = ModelLoader.load(checkpoint, OptionalDouble.empty()); DocumentStore store = DocumentStore.open(db)) {
                    loaded = (System.nanoTime() - t0) / 1e9;
                    InferenceState st = new DocumentReader(store, model).open(doc);
                    reopened = (System.nanoTime() - t0) / 1e9 - loaded;
                    steps = st.recurrentSteps();
                    model.forward(st, question, 0, question.length, Model.Logits.LAST);
                    firstToken = (System.nanoTime() - t0) / 1e9;
                }
                System.out.printf(Locale.ROOT, "reload %s N=%d: first answer token %.2f s after reload (model load %.2f s + cache reload %.2f s + 16-token question %.2f s;"
                                + " %d recurrent steps) vs %.1f s re-reading the document: %.0fx faster%n",
                        shape, length, firstToken, loaded, reopened, firstToken - loaded - reopened, steps, refillFirstToken, refillFirstToken / firstToken);
            } finally {
                Files.deleteIfExists(db);
                Files.deleteIfExists(Path.of(db + "-wal"));
                Files.deleteIfExists(Path.of(db + "-shm"));
            }
            return 0;
        }
    }
}
