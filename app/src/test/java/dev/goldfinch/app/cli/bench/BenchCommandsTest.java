package dev.goldfinch.app.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.cli.GoldfinchCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks at a tiny shape and vocabulary: they run, and print the figures of the engine's cost model. */
class BenchCommandsTest {
    @TempDir
    Path dir;

    /** The lines a benchmark printed on standard output; fails with its standard error if it did not exit 0. */
    private static List<String> bench(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = GoldfinchCommand.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void reloadWorksWithASmallVocabulary() {
        List<String> lines = bench("bench", "reload", "--shape", "L2-D64", "--tokens", "16", "--vocab", "300", "--cache-dir", dir.toString());
        assertTrue(lines.getFirst().startsWith("machine: "), lines.toString());
        assertTrue(lines.get(2).startsWith("reload L2-D64 N=16: first answer token "), lines.toString());
    }
}
