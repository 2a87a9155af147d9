package dev.goldfinch.app.ui;

import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The models the UI tests read with: small random-weight GoldFinch and RWKV-7 models with the real vocabulary (V = 65536). */
final class TestModels {
    record TestModel(Path checkpoint, Path vocabulary) {
    }

    private static TestModel small;
    private static TestModel rwkv7;

    private TestModels() {
    }

    /** GoldFinch L3-D64 (two Finch-C2 layers, one GOLD layer), bf16, written once per test run. */
    static synchronized TestModel small() throws IOException {
        if (small == null) {
            Path dir = Files.createTempDirectory("goldfinch-ui-model");
            dir.toFile().deleteOnExit();
            Path pth = RandomModels.write(dir.resolve("goldfinch-random-L3-D64.pth"), Architecture.GOLDFINCH, 3, 64,
                    RandomModels.DEFAULT_VOCAB, DType.BF16, 42);
            pth.toFile().deleteOnExit();
            pth.resolveSibling("goldfinch-random-L3-D64.json").toFile().deleteOnExit();
            small = new TestModel(pth, UiTestSupport.VOCAB);
        }
        return small;
    }

    /** RWKV-7 L2-D64 (one head of 64), bf16, written once per test run: the G1 chat layout's architecture. */
    static synchronized TestModel rwkv7() throws IOException {
        if (rwkv7 == null) {
            Path dir = Files.createTempDirectory("goldfinch-ui-rwkv7");
            dir.toFile().deleteOnExit();
            Path pth = RandomModels.write(dir.resolve("rwkv7-random-L2-D64.pth"), Architecture.RWKV7, 2, 64,
                    RandomModels.DEFAULT_VOCAB, DType.BF16, 43);
            pth.toFile().deleteOnExit();
            pth.resolveSibling("rwkv7-random-L2-D64.json").toFile().deleteOnExit();
            rwkv7 = new TestModel(pth, UiTestSupport.VOCAB);
        }
        return rwkv7;
    }
}
