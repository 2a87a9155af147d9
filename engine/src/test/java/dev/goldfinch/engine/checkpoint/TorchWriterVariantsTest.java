package dev.goldfinch.engine.checkpoint;

import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the reference fixtures do not show but real checkpoints can: a Module.state_dict() OrderedDict with
 * _metadata (BUILD), views sharing a storage, 0-dim tensors, odd strides on size-1 dims, fp16, pickle
 * protocol 4, and _rebuild_tensor_v3 with an UntypedStorage. The files come from
 * src/test/resources/.../make_test_checkpoints.py, which drives Python's own Pickler as torch.save does.
 */
class TorchWriterVariantsTest {

    static Path resource(String name) {
        try {
            return Path.of(TorchWriterVariantsTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"state-dict-metadata.pth", "protocol4.pth"})
    void readsStateDictWithMetadataSharedStoragesAndOddDims(String file) {
        try (Checkpoint ckpt = Checkpoint.open(resource(file))) {
            assertEquals(List.of("a.weight", "a.tail", "b.scale", "c.mix", "d.half", "e.bf16"),
                    List.copyOf(ckpt.tensors().keySet()));

            Tensor a = ckpt.get("a.weight");
            assertArrayEquals(new long[] {3, 4}, a.shape());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, a.toFloats());

            Tensor tail = ckpt.get("a.tail"); // storage offset 4 into the same storage
            assertArrayEquals(new long[] {2, 4}, tail.shape());
            assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 10, 11}, tail.toFloats());
            assertEquals(a.data().address() + 16, tail.data().address(), "a view, not a copy");

            Tensor scale = ckpt.get("b.scale");
            assertEquals(0, scale.rank());
            assertArrayEquals(new float[] {2.5f}, scale.toFloats());

            Tensor mix = ckpt.get("c.mix"); // stride (99, 4, 1): the size-1 strides do not matter
            assertArrayEquals(new long[] {1, 1, 4}, mix.shape());
            assertArrayEquals(new float[] {-1, -2, -3, -4}, mix.toFloats());

            Tensor half = ckpt.get("d.half");
            assertEquals(DType.F16, half.dtype());
            assertArrayEquals(new float[] {0.5f, 1.5f, -2f, 65504f, 0.25f, -0.125f}, half.toFloats());

            Tensor bf16 = ckpt.get("e.bf16");
            assertEquals(DType.BF16, bf16.dtype());
            assertArrayEquals(new float[] {1, -1, 3, 0.5f, 256}, bf16.toFloats());
        }
    }

    @Test
    void readsRebuildTensorV3WithUntypedStorage() {
        try (Checkpoint ckpt = Checkpoint.open(resource("untyped-v3.pth"))) {
            Tensor w = ckpt.get("w");
            assertEquals(DType.BF16, w.dtype());
            assertArrayEquals(new long[] {2, 2}, w.shape());
            assertArrayEquals(new float[] {1, 2, 3, 4}, w.toFloats());
        }
    }
}
