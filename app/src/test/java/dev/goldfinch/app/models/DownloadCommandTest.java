package dev.goldfinch.app.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.cli.GoldfinchCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `goldfinch download`: the catalogue listing, and a download from a local server with its progress and errors. */
class DownloadCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = GoldfinchCommand.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void listShowsEveryCatalogueEntryWithItsCostsReadingTimeAndTheRecommendedOne() {
        Run r = run("download", "--list", "--assume-memory", "16000000000", "--assume-gflops", "320");
        assertEquals(0, r.exit(), r.err());
        ModelCatalogue c = ModelCatalogue.load();
        for (ModelCatalogue.Entry e : c.models()) {
            assertTrue(r.out().contains(e.id()), e.id() + " in\n" + r.out());
            assertTrue(r.out().contains(e.name()), e.name());
        }
        assertTrue(r.out().startsWith("This machine has 16.0 GB of memory and pre-fills about 320 GFLOP/s (assumed)."), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("* rwkv7-g1-2b9 ") && l.contains("about 14 min")), "the recommended one is marked:\n" + r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  rwkv7-g1-7b2 ") && l.contains("about 35 min") && l.contains("int8 only")), r.out());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("* ")).count());
        assertTrue(r.out().contains("MEM BF16") && r.out().contains("MEM INT8") && r.out().contains("FITS") && r.out().contains("READS 100 PAGES"), r.out());
        assertTrue(r.out().contains("\nRWKV-7 G1 2.9B is recommended: the largest RWKV-7 G1 model that fits this machine's 16.0 GB of memory"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  goldfinch-l12-d768 ") && l.contains("~373 MB")), "an approximate size is marked:\n" + r.out());
    }

    @Test
    void listMeasuresThisMachineWhenNotTold() {
        Run r = run("download", "--list");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("This machine has " + DownloadProgress.bytes(MachineMemory.total()) + " of memory and pre-fills about "), r.out());
        assertTrue(r.out().lines().findFirst().orElseThrow().contains("GFLOP/s (estimated)"), r.out());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("* ")).count());
    }

    private Path catalogue(LocalFileServer server, byte[] model, byte[] vocab, String modelPath) throws Exception {
        String json = """
                {"tokenizer": {"file": "vocab.txt", "url": "%s", "sha256": "%s", "bytes": %d},
                 "models": [{"id": "tiny", "name": "Tiny", "kind": "base", "architecture": "goldfinch", "file": "goldfinch.pth",
                   "url": "%s", "download_bytes": %d, "parameters": 1000, "license": "Apache-2.0", "note": "a test"}]}
                """.formatted(server.uri("/vocab.txt"), LocalFileServer.sha256(vocab), vocab.length, server.uri(modelPath), model.length);
        Path file = dir.resolve("catalogue.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void downloadsAModelWithAProgressLineAndSaysWhereItIs() throws Exception {
        byte[] model = LocalFileServer.bytes(2_000_000, 5);
        byte[] vocab = LocalFileServer.bytes(10_000, 6);
        try (LocalFileServer server = new LocalFileServer()) {
            server.put("/m/goldfinch.pth", model);
            server.put("/vocab.txt", vocab);
            Path models = dir.resolve("models");
            Run r = run("download", "tiny", "--dir", models.toString(), "--catalogue", catalogue(server, model, vocab, "/redirect/m/goldfinch.pth").toString());

            assertEquals(0, r.exit(), r.err());
            Path ckpt = models.resolve("tiny").resolve("goldfinch.pth");
            assertArrayEquals(model, Files.readAllBytes(ckpt));
            assertArrayEquals(vocab, Files.readAllBytes(models.resolve("vocab.txt")));
            assertTrue(r.out().contains("checkpoint: " + ckpt), r.out());
            assertTrue(r.err().contains("goldfinch.pth: done, 2.0 MB"), r.err());
            assertTrue(r.err().contains("goldfinch: not verified: neither the catalogue nor the server gave a SHA-256 for goldfinch.pth"), r.err());
        }
    }

    @Test
    void aListedModelSaysWhichFileItFound() throws Exception {
        byte[] model = LocalFileServer.bytes(2_000_000, 7);
        byte[] vocab = LocalFileServer.bytes(10_000, 8);
        try (LocalFileServer server = new LocalFileServer()) {
            server.put("/files/owner/repo/ckpt/rwkv-final.pth", model);
            server.put("/vocab.txt", vocab);
            server.listing("owner/repo", "ckpt", "[" + LocalFileServer.lfsFile("ckpt/rwkv-final.pth", model.length, LocalFileServer.sha256(model)) + "]");
            String json = """
                    {"tokenizer": {"file": "vocab.txt", "url": "%s", "sha256": "%s", "bytes": %d},
                     "models": [{"id": "paper", "name": "Paper", "kind": "base", "architecture": "goldfinch", "file": null, "url": null,
                       "approx_bytes": 2000000, "parameters": 1000000, "license": "Apache-2.0", "note": "a test",
                       "resolve": {"repo": "owner/repo", "folder": "ckpt", "patterns": ["rwkv-final.pth", "rwkv-*.pth"]}}]}
                    """.formatted(server.uri("/vocab.txt"), LocalFileServer.sha256(vocab), vocab.length);
            Path cat = Files.writeString(dir.resolve("catalogue.json"), json);
            Path models = dir.resolve("models");

            Run r = run("download", "paper", "--dir", models.toString(), "--catalogue", cat.toString(), "--hub", server.hub().toString());

            assertEquals(0, r.exit(), r.err());
            assertTrue(r.err().contains("goldfinch: Found rwkv-final.pth (2.0 MB) in owner/repo/ckpt.\n"), r.err());
            assertFalse(r.err().contains("not verified"), r.err());
            assertArrayEquals(model, Files.readAllBytes(models.resolve("paper").resolve("rwkv-final.pth")));
            assertTrue(r.out().contains("checkpoint: " + models.resolve("paper").resolve("rwkv-final.pth")), r.out());
        }
    }

    @Test
    void errorsAreOneLineAndANonZeroExit() throws Exception {
        byte[] model = LocalFileServer.bytes(2_000_000, 5);
        byte[] vocab = LocalFileServer.bytes(10_000, 6);
        try (LocalFileServer server = new LocalFileServer()) {
            server.put("/vocab.txt", vocab);
            Path cat = catalogue(server, model, vocab, "/m/missing.pth");
            Run r = run("download", "tiny", "--dir", dir.resolve("models").toString(), "--catalogue", cat.toString());
            assertEquals(1, r.exit());
            String last = r.err().lines().reduce((a, b) -> b).orElse("");
            assertTrue(last.startsWith("goldfinch: 127.0.0.1 has no goldfinch.pth (HTTP 404)"), r.err());
            assertFalse(r.err().contains("Exception"), r.err());

            Run unknown = run("download", "no-such-model", "--catalogue", cat.toString());
            assertEquals(1, unknown.exit());
            assertEquals("goldfinch: no model 'no-such-model' in the catalogue; known: tiny", unknown.err().strip());

            Run none = run("download");
            assertEquals(1, none.exit());
            assertTrue(none.err().startsWith("goldfinch: name the model to download"), none.err());
        }
    }
}
