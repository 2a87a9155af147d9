package dev.goldfinch.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.checkpoint.CheckpointWriter;
import dev.goldfinch.engine.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RWKV-7's later variants share x070's tensor names but not its math: they are refused with one line that says what
 * they are, never run as x070. And x070's own layer 0 loads with or without its unused v0/v1/v2.
 */
class Rwkv7VariantsTest {
    @TempDir
    Path dir;

    /** A small random x070 model with extra tensors added, or some left out. */
    private Path model(String file, List<String> extra, List<String> without) {
        Path out = dir.resolve(file);
        try (CheckpointWriter w = CheckpointWriter.create(out)) {
            for (RandomModels.TensorSpec t : RandomModels.tensors(Architecture.RWKV7, 2, 128, 300)) {
                if (without.contains(t.name())) continue;
                w.add(t.name(), DType.F32, t.shape(), new float[(int) t.elements()]);
            }
            for (String name : extra) w.add(name, DType.F32, new long[] {128}, new float[128]);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"rwkv7a-g1-0.1b-20250801-ctx4096.pth", "rwkv7b-0.4b.pth", "RWKV7A-test.pth"})
    void variantsAreRefusedByName(String file) {
        EngineException e = assertThrows(EngineException.class, () -> ModelLoader.load(model(file, List.of(), List.of()), OptionalDouble.empty()));
        assertTrue(e.getMessage().contains("RWKV-7 variant") && e.getMessage().contains(file), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocks.1.ffn.s_emb.weight", "blocks.0.ffn.s_emb_x.weight", "blocks.0.ffn.s0", "blocks.1.qkv.weight"})
    void variantsAreRefusedByTensor(String key) {
        EngineException e = assertThrows(EngineException.class, () -> ModelLoader.load(model("plain.pth", List.of(key), List.of()), OptionalDouble.empty()));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains("RWKV-7 variant"), e.getMessage());
        assertTrue(e.getMessage().contains(key.contains("qkv") ? "rwkv7b" : "rwkv7a"), e.getMessage());
    }

    @Test
    void layerZeroLoadsWithOrWithoutItsUnusedValueResidual() {
        Path without = model("without.pth", List.of(), List.of());
        Path with = model("with.pth", List.of("blocks.0.att.v0"), List.of());
        try (Model a = ModelLoader.load(without, OptionalDouble.empty()); Model b = ModelLoader.load(with, OptionalDouble.empty())) {
            assertEquals(Architecture.RWKV7, a.config().architecture());
            assertEquals(Architecture.RWKV7, b.config().architecture());
        }
    }

    @Test
    void tensorsAreFoundByNameInAnyOrder() {
        // Files saved by RWKV-LM's trainer list a block's tensors in declaration order, released files in another:
        // the fixture written back to front gives the reference logits all the same.
        dev.goldfinch.engine.Fixtures.Model fixture = dev.goldfinch.engine.Fixtures.named("rwkv7-wide-tiny");
        Path reversed = dir.resolve("reversed.pth");
        try (var ckpt = dev.goldfinch.engine.checkpoint.Checkpoint.open(fixture.checkpoint());
             CheckpointWriter w = CheckpointWriter.create(reversed)) {
            List<String> names = new java.util.ArrayList<>(ckpt.tensors().keySet());
            java.util.Collections.reverse(names);
            for (String name : names) {
                var t = ckpt.get(name);
                w.add(name, DType.F32, t.shape(), t.toFloats());
            }
        }
        try (Model model = ModelLoader.load(reversed, OptionalDouble.empty())) {
            float[] ref = fixture.logits();
            float err = dev.goldfinch.engine.Fixtures.maxAbsDiff(ReferenceLogitsTest.logits(model, fixture.tokens(), 7), 0, ref, 0, ref.length);
            assertTrue(err <= ReferenceLogitsTest.BOUND, "max abs error " + err);
        }
    }

    @Test
    void aLaterLayerWithoutItsValueResidualNamesTheTensor() {
        Path broken = model("broken.pth", List.of(), List.of("blocks.1.att.v1"));
        EngineException e = assertThrows(EngineException.class, () -> ModelLoader.load(broken, OptionalDouble.empty()));
        assertTrue(e.getMessage().contains("blocks.1.att.v1"), e.getMessage());
        assertTrue(Files.exists(broken));
    }
}
