package dev.goldfinch.app.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The model the UI tests read with. */
final class TestModels {
    record TestModel(Path checkpoint, Path vocabulary) {
    }

    private TestModels() {
    }

    /**
     * For now the reference fixture goldfinch-tiny (V = 512) with a vocabulary of the 256 byte tokens of the real
     * one (so every id fits the model); replaced by a random-weight model with the real vocabulary once
     * RandomModels is on main.
     */
    static TestModel small(Path dir) throws IOException {
        Path vocab = dir.resolve("byte-vocab.txt");
        List<String> lines = Files.readAllLines(UiTestSupport.VOCAB, StandardCharsets.UTF_8).subList(0, 256);
        Files.write(vocab, lines, StandardCharsets.UTF_8);
        return new TestModel(UiTestSupport.SHARED.resolve("fixtures/reference/goldfinch-tiny.pth"), vocab);
    }
}
