package dev.goldfinch.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Random models of every architecture load as what they are, give finite logits, and chunk like one call. */
class RandomModelsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} L{1}-D{2} V{3} {4}")
    @CsvSource({
            "GOLDFINCH, 3, 128, 512, F32, 2",
            "GOLDFINCH, 3, 64, 65536, BF16, 2",
            "GOLDFINCH_UPGRADE, 6, 128, 512, BF16, 5",
            "FINCH, 2, 128, 512, F32, 2",
            "FINCH_C2, 2, 128, 512, BF16, 2",
            "LLAMA, 2, 128, 512, F32, 0",
            "RWKV7, 2, 128, 512, F32, 2",
            "RWKV7, 3, 192, 65536, BF16, 3",
            "RWKV7, 2, 128, 512, F16, 2",
    })
    void loadsDetectsAndRuns(Architecture arch, int layers, int d, int vocab, DType dtype, int rnnLayers) {
        Path file = RandomModels.write(dir.resolve(arch.id + ".pth"), arch, layers, d, vocab, dtype, 7);
        try (Model model = ModelLoader.load(file, OptionalDouble.empty())) {
            ModelConfig c = model.config();
            assertEquals(arch, c.architecture());
            assertEquals(layers, c.layerCount());
            assertEquals(d, c.dModel());
            assertEquals(vocab, c.vocab());
            assertEquals(dtype, c.dtype());
            assertEquals(rnnLayers, c.rnnLayers());
            assertEquals(RandomModels.ffnWidth(arch, d), c.dFfn());
            if (arch == Architecture.LLAMA) assertEquals(RandomModels.LLAMA_ROPE_BASE, c.ropeBase());
            else assertEquals(0, c.ropeBase());
            if (arch.hasCompressedCache()) assertEquals(d / 16, c.compressedWidth());

            int[] ids = new SplittableRandom(3).ints(40, 0, vocab).toArray();
            float[] one = ReferenceLogitsTest.logits(model, ids, 0);
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (float v : one) {
                assertTrue(Float.isFinite(v), "non-finite logit");
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            assertTrue(hi - lo > 1e-3 && hi < 1e3 && lo > -1e3, "logits range [" + lo + ", " + hi + "]");
            for (int chunk : new int[] {1, 7}) {
                float[] chunked = ReferenceLogitsTest.logits(model, ids, chunk);
                float err = 0;
                for (int i = 0; i < one.length; i++) err = Math.max(err, Math.abs(one[i] - chunked[i]));
                assertTrue(err <= 1e-4f * Math.max(1, hi - lo), arch + " chunk " + chunk + ": max abs difference " + err);
            }
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
        Path a = RandomModels.write(dir.resolve("a.pth"), Architecture.GOLDFINCH, 2, 64, 300, DType.BF16, 1);
        Path b = RandomModels.write(dir.resolve("b.pth"), Architecture.GOLDFINCH, 2, 64, 300, DType.BF16, 1);
        Path c = RandomModels.write(dir.resolve("c.pth"), Architecture.GOLDFINCH, 2, 64, 300, DType.BF16, 2);
        byte[] ba = Files.readAllBytes(a), bb = Files.readAllBytes(b), bc = Files.readAllBytes(c);
        // the top folder is named after the file, so compare past the names: sizes first, then the tensors
        assertEquals(ba.length, bb.length);
        try (Model ma = ModelLoader.load(a, OptionalDouble.empty()); Model mb = ModelLoader.load(b, OptionalDouble.empty());
             Model mc = ModelLoader.load(c, OptionalDouble.empty())) {
            assertArrayEquals(ma.checkpoint().get("head.weight").toFloats(), mb.checkpoint().get("head.weight").toFloats());
            float[] hc = mc.checkpoint().get("head.weight").toFloats();
            assertTrue(!java.util.Arrays.equals(ma.checkpoint().get("head.weight").toFloats(), hc));
        }
        assertEquals(bc.length, ba.length);
        assertTrue(Files.exists(dir.resolve("a.json")));
        assertTrue(Files.notExists(dir.resolve("a.pth.partial")));
    }

    @Test
    void rwkv7LoraWidthsAreTheReleasedOnes() {
        // shared/spec/rwkv7-model.md: 0.1B, 1.5B and 2.9B (w, a, v, g)
        assertArrayEquals(new int[] {64, 64, 32, 128}, RandomModels.rwkv7LoraWidths(768));
        assertArrayEquals(new int[] {96, 96, 64, 256}, RandomModels.rwkv7LoraWidths(2048));
        assertArrayEquals(new int[] {96, 96, 64, 320}, RandomModels.rwkv7LoraWidths(2560));
    }

    @Test
    void parsesShapes() {
        assertEquals(new RandomModels.Shape(24, 2048), RandomModels.Shape.parse("L24-D2048"));
        assertEquals("L12-D768", RandomModels.Shape.parse("l12-d768").toString());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> RandomModels.Shape.parse("L12-D100"));
    }

    @Test
    void decaysStayInRange() {
        // exp(-exp(w)) for the stored decay base stays within (0.5, 0.999)
        for (RandomModels.TensorSpec t : RandomModels.tensors(Architecture.GOLDFINCH, 3, 128, 512)) {
            if (!t.name().endsWith("time_decay")) continue;
            double lo = t.init().center() - t.init().halfWidth(), hi = t.init().center() + t.init().halfWidth();
            assertTrue(Math.exp(-Math.exp(hi)) > 0.5 && Math.exp(-Math.exp(lo)) < 0.999, t.name());
        }
    }
}
