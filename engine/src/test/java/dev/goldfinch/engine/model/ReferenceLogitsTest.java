package dev.goldfinch.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.Fixtures;
import dev.goldfinch.engine.io.Npy;
import java.nio.file.Files;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every reference fixture, at every position: one call, chunks of 1, 7 and 32, the compressed cache (the hybrids'; the
 * other models keep none), greedy decoding. Nothing is skipped: a fixture file that should be there and is not fails.
 */
class ReferenceLogitsTest {
    static final float BOUND = 2e-3f;

    static List<Fixtures.Model> models() {
        return Fixtures.models();
    }

    /** The hybrids: each of their fixtures has a compressed-cache file (the fixtures' README: "hybrids only"). */
    static List<Fixtures.Model> hybrids() {
        return models().stream().filter(Fixtures.Model::hybrid).toList();
    }

    static List<Fixtures.Model> notHybrids() {
        return models().stream().filter(m -> !m.hybrid()).toList();
    }

    static Stream<Arguments> modelsAndChunks() {
        return models().stream().flatMap(m -> Stream.of(0, 1, 7, 32).map(c -> Arguments.of(m, c)));
    }

    static Model load(Fixtures.Model m) {
        return ModelLoader.load(m.checkpoint(), OptionalDouble.of(m.ropeBase()));
    }

    /** Logits of every position, fed `chunk` tokens at a time (0 = all at once). */
    static float[] logits(Model model, int[] ids, int chunk) {
        int v = model.config().vocab();
        float[] all = new float[ids.length * v];
        InferenceState st = model.newState();
        int step = chunk == 0 ? ids.length : chunk;
        for (int from = 0; from < ids.length; from += step) {
            int n = Math.min(step, ids.length - from);
            System.arraycopy(model.forward(st, ids, from, n, Model.Logits.ALL), 0, all, from * v, n * v);
        }
        return all;
    }

    @ParameterizedTest(name = "{0} chunk {1}")
    @MethodSource("modelsAndChunks")
    void logitsMatchReferenceAtEveryPosition(Fixtures.Model m, int chunk) {
        try (Model model = load(m)) {
            assertEquals(m.architecture(), model.config().architecture().id, "detected architecture");
            float[] ref = m.logits();
            float[] got = logits(model, m.tokens(), chunk);
            assertEquals(ref.length, got.length);
            float err = Fixtures.maxAbsDiff(got, 0, ref, 0, ref.length);
            assertTrue(err <= BOUND, m + " chunk " + chunk + ": max abs error " + err);
        }
    }

    /** Every hybrid fixture's cc_t; a hybrid whose compressed-cache file is missing fails (it is never skipped). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hybrids")
    void compressedCacheMatchesReference(Fixtures.Model m) {
        assertTrue(Files.isRegularFile(m.compressedCacheFile()), "the hybrid fixture " + m + " has no compressed cache file " + m.compressedCacheFile());
        try (Model model = load(m)) {
            assertTrue(model.config().architecture().hasCompressedCache(), m + " is a hybrid: it keeps a compressed cache");
            int[] ids = m.tokens();
            InferenceState st = model.newState();
            model.forward(st, ids, 0, ids.length, Model.Logits.NONE);
            float[] ref = Npy.readFloats(m.compressedCacheFile());
            float[] got = st.compressedCache();
            assertEquals(ref.length, got.length);
            float err = Fixtures.maxAbsDiff(got, 0, ref, 0, ref.length);
            assertTrue(err <= BOUND, m + ": compressed cache max abs error " + err);
            assertArrayEquals(ids, st.tokens());
        }
    }

    /** The other models keep no compressed cache, and their fixtures bring none: nothing there to compare. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("notHybrids")
    void modelsWithoutACompressedCacheKeepNone(Fixtures.Model m) {
        assertTrue(Files.notExists(m.compressedCacheFile()), m + " is no hybrid, yet " + m.compressedCacheFile() + " exists");
        try (Model model = load(m)) {
            assertTrue(!model.config().architecture().hasCompressedCache(), m + ": detected as a hybrid");
            assertEquals(0, model.config().compressedWidth());
            int[] ids = m.tokens();
            InferenceState st = model.newState();
            model.forward(st, ids, 0, ids.length, Model.Logits.NONE);
            assertEquals(0, st.compressedCache().length, m + " keeps no cc_t");
            assertArrayEquals(ids, st.tokens());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void greedyContinuationMatchesReference(Fixtures.Model m) {
        try (Model model = load(m)) {
            int[] expected = m.greedyContinuation();
            double[] margins = m.greedyMargins();
            int[] got = new dev.goldfinch.engine.generate.Generator(model).generate(model.newState(), m.tokens(), expected.length,
                    dev.goldfinch.engine.generate.SamplingOptions.greedy(), t -> false, t -> { }, () -> false);
            assertEquals(expected.length, got.length);
            for (int i = 0; i < expected.length; i++) {
                if (got[i] != expected[i]) {
                    // A near-tie in the reference (margin below 1e-3) makes the rest incomparable; anything else is a bug.
                    assertTrue(margins[i] < 1e-3, m + ": token " + i + " is " + got[i] + ", reference " + expected[i] + " (margin " + margins[i] + ")");
                    return;
                }
            }
        }
    }
}
