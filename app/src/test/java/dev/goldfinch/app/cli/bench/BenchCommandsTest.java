package dev.goldfinch.app.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.cli.GoldfinchCommand;
import dev.goldfinch.engine.model.CostModel;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.model.ModelLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        assertTrue(lines.get(2).contains(" + cache read from the store ") && lines.get(2).contains(" + attention rebuilt "), lines.toString());
        assertTrue(lines.get(3).matches("reload L2-D64 N=16: reopening \\(read \\+ rebuild\\) [0-9.]+% of the cold pre-fill; rebuild [0-9.]+ GFLOP/s .*"
                + "; other processes took ([0-9]+%|\\(unknown\\)) of the CPUs during the pre-fill, ([0-9]+%|\\(unknown\\)) during the reopening"), lines.toString());
    }

    /**
     * Our pre-fill and decode and a peer's, in rounds, side by side: the peer here is a shell command printing what
     * llama-bench -o jsonl prints (no llama.cpp on this machine); a failing peer is said and left out.
     */
    @Test
    void compareSetsAPeersFiguresBesideOurs() {
        String jsonl = "printf '%s\\n' '{\"n_prompt\":32,\"n_gen\":0,\"avg_ts\":50.0}' '{\"n_prompt\":0,\"n_gen\":4,\"avg_ts\":2.5}'";
        List<String> lines = bench("bench", "compare", "--shape", "L2-D64", "--vocab", "300", "--cache-dir", dir.toString(), "--bandwidth-mib", "16",
                "--weights", "bf16,int8", "--rounds", "2", "--prefill", "32", "--decode", "4", "--peer", "peer=" + jsonl, "--peer", "broken=exit 3");
        assertTrue(lines.getFirst().startsWith("machine: "), lines.toString());
        assertEquals(2, lines.stream().filter(l -> l.equals("broken: exited with 3; its figures are left out of this round")).count(), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("round 2 peer: {pp32=50.0, tg4=2.5}; other processes ")), lines.toString());
        String pp = lines.stream().filter(l -> l.startsWith("pp32 ")).findFirst().orElseThrow(() -> new AssertionError(lines.toString()));
        String[] cells = pp.split("\\|");
        assertEquals(4, cells.length, pp); // test, goldfinch bf16, goldfinch int8, peer (broken has no column)
        assertEquals("50.00", cells[3].strip(), pp);
        double ours = Double.parseDouble(cells[1].strip());
        String ratios = lines.stream().filter(l -> l.startsWith("goldfinch bf16 against peer:")).findFirst().orElseThrow();
        assertTrue(ratios.contains(String.format(Locale.ROOT, "pp32 %.2fx", ours / 50.0)), ratios + " / " + pp);
    }

    @Test
    void peerFiguresAreReadFromLlamaBenchJsonAndFromPlainLines() throws Exception {
        assertEquals(java.util.Map.of("pp512", 154.0, "tg64", 16.0),
                CompareBench.peerFigures("[{\"n_prompt\": 512, \"n_gen\": 0, \"avg_ts\": 154.0}, {\"n_prompt\": 0, \"n_gen\": 64, \"avg_ts\": 16.0}]"));
        assertEquals(java.util.Map.of("decode", 22.5, "pp512", 94.0), CompareBench.peerFigures("model loaded\ndecode: 22.5 tokens/s\npp512 = 94 t/s\nsomething else 3 t/s\n"));
        assertEquals(java.util.Map.of(), CompareBench.peerFigures("no figures here\n"));
    }

    /** The integer probe prints each kind's multiply-adds per second, none zero, and a verdict. */
    @Test
    void integerProbeComparesTheInt16LoopWithTheFloatKernels() {
        List<String> lines = bench("bench", "integer", "--threads", "1");
        assertTrue(lines.getFirst().startsWith("machine: "), lines.toString());
        for (String kind : List.of("float32 FMA peak", "float32 tiled matmul", "int16 pairwise multiply-add loop", "float32 multiply-add loop")) {
            String line = lines.stream().filter(l -> l.startsWith(kind)).findFirst().orElseThrow(() -> new AssertionError(kind + ": " + lines));
            assertTrue(line.matches(".*: [0-9]+\\.[0-9] G multiply-adds/s.*") && !line.contains(": 0.0 G"), line);
        }
        assertTrue(lines.getLast().startsWith("verdict: "), lines.toString());
    }

    /** Both phases report their figures; the answering one comes from a second JVM that opened the saved reading. */
    @Test
    void footprintReportsReadingAndAnsweringInAFreshProcess() {
        List<String> lines = bench("bench", "footprint", "--shape", "L2-D64", "--tokens", "64", "--vocab", "300", "--answer-tokens", "2", "--threads", "1",
                "--cache-dir", dir.toString());
        assertTrue(lines.getFirst().startsWith("machine: "), lines.toString());
        String reading = lines.get(1), answering = lines.get(2);
        assertTrue(reading.startsWith("footprint goldfinch L2-D64 bf16 reading 64 tokens: peak heap used "), reading);
        assertTrue(answering.startsWith("footprint goldfinch L2-D64 bf16 answering (fresh process, 64-token document, 16-token question, 2 tokens answered): "), answering);
        for (String line : List.of(reading, answering)) {
            // On Linux every figure is measured: none may be missing, and the heap's peak is no larger than what was committed.
            assertTrue(!line.contains("(unknown)"), line);
            long used = megabytes(line, "peak heap used "), committed = megabytes(line, "committed ");
            assertTrue(used > 0 && used <= committed, line);
            assertTrue(megabytes(line, "peak resident beyond the mapped weights ") > 0, line);
        }
    }

    private static long megabytes(String line, String after) {
        int at = line.indexOf(after) + after.length();
        return Long.parseLong(line.substring(at, line.indexOf(" MB", at)).replace(",", ""));
    }

    @Test
    void decodeAndPrefillPrintTheFiguresOfTheCostModel() {
        String[] model = {"--shape", "L2-D64", "--bandwidth-mib", "16", "--cache-dir", dir.toString()};
        List<String> decode = bench(concat(new String[] {"bench", "decode", "--tokens", "2", "--warmup", "1", "--rounds", "1"}, model));
        List<String> prefill = bench(concat(new String[] {"bench", "prefill", "--tokens", "40", "--chunk", "16"}, model));
        CostModel cost;
        try (Model m = ModelLoader.load(dir.resolve("goldfinch-L2-D64-V65536-bf16-seed1.pth"), OptionalDouble.empty())) {
            cost = m.cost();
        }
        assertTrue(decode.get(1).startsWith("decode L2-D64 goldfinch bf16: "), decode.toString());
        assertTrue(decode.get(2).contains(String.format(Locale.ROOT, "; %.3f GB of weights read per token (", cost.weightBytesPerToken() / 1e9)), decode.toString());
        assertTrue(prefill.get(1).startsWith(String.format(Locale.ROOT, "  goldfinch L2-D64 bf16: %.3f GFLOP of matrix products per document token (",
                cost.prefillFlopsPerToken() / 1e9)), prefill.toString());
        assertTrue(prefill.get(2).startsWith("prefill L2-D64 goldfinch bf16 40 tokens: "), prefill.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "decode", "matmul", "prefill", "tova", "reload"})
    void everyBenchmarkAnswersHelp(String name) {
        List<String> usage = bench("bench", name, "--help");
        assertTrue(usage.getFirst().startsWith("Usage: goldfinch bench " + name + " "), usage.toString());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
