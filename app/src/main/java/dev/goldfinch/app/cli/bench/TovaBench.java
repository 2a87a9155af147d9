package dev.goldfinch.app.cli.bench;

import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import dev.goldfinch.engine.model.RandomModels.Shape;
import dev.goldfinch.engine.model.SavedState;
import dev.goldfinch.engine.tensor.DType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench tova}: decoding after documents of several lengths, full attention against TOVA budgets. */
@Command(name = "tova", mixinStandardHelpOptions = true, description = "Decode tokens/s and attention working memory against document length, full attention vs TOVA budgets.")
final class TovaBench implements Callable<Integer> {
    @Option(names = "--shape", defaultValue = "L12-D768", paramLabel = "L12-D768|L24-D2048")
    String shape;

    @Option(names = "--lengths", defaultValue = "1024,4096,16384,65536", paramLabel = "N,N,...")
    String lengths;

    @Option(names = "--budgets", defaultValue = "0,512,2048", paramLabel = "B,B,...", description = "0 = full attention.")
    String budgets;

    @Option(names = "--tokens", defaultValue = "16", paramLabel = "N", description = "Tokens decoded per measurement.")
    int tokens;

    @Mixin
    BenchOptions bench;

    @Override
    public Integer call() {
        bench.start();
        try (Model model = ModelLoader.load(bench.model(Architecture.GOLDFINCH, Shape.parse(shape), DType.BF16), OptionalDouble.empty())) {
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

    /**
     * A document state of `length` positions made without pre-filling: random token ids and cc_t rows, restored the
     * way a saved cache is (every GOLD key and value rebuilt). Decoding cost depends only on the cache length.
     */
    private static InferenceState syntheticDocument(Model model, int length, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int cw = model.config().compressedWidth();
        int[] tokens = r.ints(length, 1, model.config().vocab()).toArray();
        float[] cc = new float[length * cw];
        for (int i = 0; i < cc.length; i++) cc[i] = (float) (r.nextGaussian() * 2);
        List<SavedState.Layer> layers = model.saveLayers(model.newState());
        return model.restore(new SavedState(length, tokens, cc, layers));
    }

    private static int[] parseList(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }
}
