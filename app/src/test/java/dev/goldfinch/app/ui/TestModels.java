package dev.goldfinch.app.ui;

import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The models the UI tests read with: small random-weight GoldFinch, RWKV-7 and Finch models with the real vocabulary (V = 65536). */
final class TestModels {
    record TestModel(Path checkpoint, Path vocabulary) {
    }

    private static TestModel small;
    private static TestModel rwkv7;
    private static TestModel finch;

    private TestModels() {
    }

    /** GoldFinch L3-D64 (two Finch-C2 layers, one GOLD layer), bf16, written once per test run. */
    static synchronized TestModel small() throws IOException {
        if (small == null) small = write("goldfinch-random-L3-D64", Architecture.GOLDFINCH, 3, 42);
        return small;
    }

    /** RWKV-7 L2-D64 (one head of 64), bf16, written once per test run: the G1 chat layout's architecture. */
    static synchronized TestModel rwkv7() throws IOException {
        if (rwkv7 == null) rwkv7 = write("rwkv7-random-L2-D64", Architecture.RWKV7, 2, 43);
        return rwkv7;
    }

    /** Finch L2-D64 (RWKV-6, no attention layers), bf16, written once per test run: sources by text match. */
    static synchronized TestModel finch() throws IOException {
        if (finch == null) finch = write("finch-random-L2-D64", Architecture.FINCH, 2, 44);
        return finch;
    }

    /** A random bf16 model of width 64 in a temporary folder, removed (with its JSON) when the tests end. */
    private static TestModel write(String name, Architecture arch, int layers, long seed) throws IOException {
        Path dir = Files.createTempDirectory("goldfinch-ui-" + name);
        dir.toFile().deleteOnExit();
        Path pth = RandomModels.write(dir.resolve(name + ".pth"), arch, layers, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, seed);
        pth.toFile().deleteOnExit();
        pth.resolveSibling(name + ".json").toFile().deleteOnExit();
        return new TestModel(pth, UiTestSupport.VOCAB);
    }
}
