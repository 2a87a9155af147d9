package dev.goldfinch.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.tensor.DType;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GOLD layers' keys and values are made in passes of a few dozen rows ({@code GoldTimeMix.BLOCK}) with reused
 * buffers. A document of several passes read in one call, read a position at a time, and reopened from its saved
 * cache (in chunks of 256) must hold the same keys and values: any pass that read or wrote the wrong rows would show.
 */
class GoldKeysValuesTest {
    /** Four passes of 60 rows and part of a fifth, past a reopening chunk of 256: both reads end inside a pass. */
    private static final int TOKENS = 290;

    @Test
    void passesReadAndWriteTheirOwnRows(@TempDir Path dir) {
        Path file = RandomModels.write(dir.resolve("goldfinch.pth"), Architecture.GOLDFINCH, 4, 64, 300, DType.BF16, 5);
        try (Model model = ModelLoader.load(file, OptionalDouble.empty())) {
            int[] tokens = new SplittableRandom(3).ints(TOKENS, 1, model.config().vocab()).toArray();
            InferenceState oneCall = model.newState();
            model.forward(oneCall, tokens, 0, TOKENS, Model.Logits.NONE);
            InferenceState stepwise = model.newState();
            for (int t = 0; t < TOKENS; t++) model.forward(stepwise, tokens, t, 1, Model.Logits.NONE);
            InferenceState reopened = model.restore(model.save(oneCall));

            int gold = 0;
            for (int i = 0; i < oneCall.layers.length; i++) {
                KvCache a = oneCall.layers[i].kv;
                if (a == null) continue;
                gold++;
                KvCache b = stepwise.layers[i].kv, c = reopened.layers[i].kv;
                assertEquals(TOKENS, a.length);
                assertEquals(TOKENS, c.length);
                float[][] one = KvCacheTest.entries(a), again = KvCacheTest.entries(c), step = KvCacheTest.entries(b);
                // the reopening's chunk of 256 starts on a tile boundary of every kernel: the same floats
                assertArrayEquals(one[0], again[0], "layer " + i + ": reopened keys");
                assertArrayEquals(one[1], again[1], "layer " + i + ": reopened values");
                // a position at a time takes the one-row matmul for w_kv_cache_b: within rounding, not bit for bit
                for (int part = 0; part < 2; part++) {
                    double worst = 0;
                    for (int j = 0; j < one[part].length; j++) worst = Math.max(worst, Math.abs(one[part][j] - step[part][j]));
                    assertTrue(worst < 1e-4, "layer " + i + ": " + (part == 0 ? "keys" : "values") + " a position at a time differ by " + worst);
                }
            }
            assertTrue(gold > 0, "the model has GOLD layers");
        }
    }
}
