package dev.goldfinch.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.recall.HeatMapPng;
import dev.goldfinch.app.recall.RecallGrid;
import dev.goldfinch.app.recall.RecallScore;
import dev.goldfinch.app.recall.RecallVerdict;
import dev.goldfinch.engine.checkpoint.Checkpoint;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.store.StoredRecallCheck;
import dev.goldfinch.engine.tensor.DType;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `goldfinch check-recall` end to end with a small random GoldFinch: the cost said first, the grid printed, kept in the store and drawn. */
class CheckRecallCommandTest {
    @TempDir
    Path dir;

    private Path model() {
        return RandomModels.write(dir.resolve("gf-recall.pth"), Architecture.GOLDFINCH, 3, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 11);
    }

    private static String identity(Path pth) {
        try (Checkpoint c = Checkpoint.open(pth)) {
            return c.identity();
        }
    }

    @Test
    void runsTheGridKeepsItWithTheModelAndDrawsItsHeatMap() throws Exception {
        Path pth = model(), db = dir.resolve("store.sqlite"), png = dir.resolve("out/heat.png");
        AskCommandTest.Output o = AskCommandTest.runBoth("check-recall", "--model", pth.toString(), "--vocab", AskCommandTest.VOCAB.toString(),
                "--db", db.toString(), "--lengths", "256,512", "--depths", "3", "--facts", "2", "--out", png.toString(), "--threads", "1");
        assertEquals(0, o.code(), o.err());
        String first = o.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("goldfinch: recall check of gf-recall: 2 lengths × 3 depths, 2 facts per document, one asked; reads "), first);
        assertTrue(first.contains("if every document were read from its first token") && first.contains("on this machine"), first);

        RecallGrid grid;
        try (DocumentStore store = DocumentStore.open(db)) {
            StoredRecallCheck row = store.recallChecks().latest(identity(pth)).orElseThrow();
            assertTrue(row.finished() && row.intact());
            grid = RecallGrid.fromJson(row.grid());
            assertEquals(0, store.documents().all().size(), "the check's documents are not in the library");
        }
        assertEquals(List.of(256, 512), grid.lengths());
        assertEquals(6, grid.scoredCells());
        for (RecallGrid.Cell c : grid.cells()) assertEquals(RecallScore.recalled(c.answer(), c.expected()) ? 1 : 0, c.recalled(), c.toString());
        List<String> out = o.out().lines().toList();
        assertEquals("length      0%   50%  100%  verdict", out.get(0));
        assertTrue(out.get(1).startsWith("256 ") && out.get(1).endsWith(RecallVerdict.of(grid, 256)), out.get(1));
        assertTrue(out.get(2).startsWith("512 ") && out.get(2).endsWith(RecallVerdict.of(grid, 512)), out.get(2));
        assertEquals("gf-recall: " + RecallVerdict.overall(grid), out.get(3));

        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(HeatMapPng.width(grid), img.getWidth());
        assertEquals(HeatMapPng.height(grid), img.getHeight());
        for (int r = 0; r < 2; r++) {
            for (int d = 0; d < 3; d++) {
                double share = grid.share(grid.lengths().get(r), d).orElseThrow();
                assertEquals(HeatMapPng.colour(share).getRGB(), img.getRGB(HeatMapPng.cellX(d), HeatMapPng.cellY(r)), "cell " + r + "," + d + " coloured by its share");
            }
        }
        assertTrue(o.err().contains("heat map written to " + png), o.err());
    }

    /** Ctrl+C (a real SIGINT to a child JVM) once some cells are scored: the check stops, says so, and the store keeps those cells. */
    @Test
    void ctrlCStopsTheCheckAndKeepsTheGridSoFar() throws Exception {
        Path pth = model(), db = dir.resolve("store.sqlite"), err = dir.resolve("err.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The second length is long (64k) so that the signal, sent once the short one's cells are scored, arrives while
        // it reads: with 16k the whole check could end first on a quiet machine
        // env --default-signal=INT: a JVM started with SIGINT ignored (as a shell's background job is) never hears Ctrl+C
        Process child = new ProcessBuilder(List.of("env", "--default-signal=INT", java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                dev.goldfinch.app.Main.class.getName(), "check-recall", "--model", pth.toString(), "--vocab", AskCommandTest.VOCAB.toString(),
                "--db", db.toString(), "--lengths", "256,64k", "--depths", "4", "--threads", "1"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        try {
            long deadline = System.nanoTime() + 180_000_000_000L;
            int scored = 0;
            while (scored < 4 && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(200);
                scored = cellsScored(db);
            }
            assertEquals(4, scored, "the 256-token cells scored before Ctrl+C: " + Files.readString(err));
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start().waitFor());
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "it stopped");
        } finally {
            child.destroyForcibly();
        }
        String said = Files.readString(err);
        assertEquals(130, child.exitValue(), said);
        assertTrue(said.contains("goldfinch: stopped; the grid so far (4 of 8 cells) is kept in " + db), said);
        try (DocumentStore store = DocumentStore.open(db)) {
            StoredRecallCheck row = store.recallChecks().latest(identity(pth)).orElseThrow();
            assertFalse(row.finished(), "cut short");
            assertTrue(row.intact());
            assertEquals(4, RecallGrid.fromJson(row.grid()).tally(256).scored());
        }
    }

    /**
     * The cells of the newest run, read with a query alone while the child writes (opening it as a store would
     * migrate a file the child is still creating).
     */
    private static int cellsScored(Path db) {
        if (!Files.exists(db)) return 0;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT grid FROM recall_checks ORDER BY id DESC LIMIT 1")) {
            return rs.next() ? RecallGrid.fromJson(rs.getString(1)).scoredCells() : 0;
        } catch (java.sql.SQLException notYet) {
            return 0; // no table yet, or the child is writing: look again
        }
    }

    @Test
    void theEstimateAloneChecksNothingAndImpossiblePlansAreOneLine() throws Exception {
        Path pth = model(), db = dir.resolve("store.sqlite");
        AskCommandTest.Output o = AskCommandTest.runBoth("check-recall", "--model", pth.toString(), "--vocab", AskCommandTest.VOCAB.toString(),
                "--db", db.toString(), "--estimate-only");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().startsWith("goldfinch: recall check of gf-recall: 4 lengths × 10 depths, one fact per document; reads "), o.err());
        try (DocumentStore store = DocumentStore.open(db)) {
            assertTrue(store.recallChecks().all().isEmpty(), "nothing run, nothing kept");
        }
        for (String[] bad : List.of(new String[] {"--lengths", "1k,512k"}, new String[] {"--depths", "0"}, new String[] {"--lengths", "4q"},
                new String[] {"--facts", "11"})) {
            String[] args = {"check-recall", "--model", pth.toString(), "--vocab", AskCommandTest.VOCAB.toString(), "--db", db.toString(), bad[0], bad[1]};
            AskCommandTest.Output e = AskCommandTest.runBoth(args);
            assertEquals(1, e.code(), String.join(" ", bad) + ": " + e.err());
            assertEquals(1, e.err().lines().count(), e.err());
            assertTrue(e.err().startsWith("goldfinch: "), e.err());
            assertFalse(e.err().contains("Exception"), e.err());
        }
    }
}
