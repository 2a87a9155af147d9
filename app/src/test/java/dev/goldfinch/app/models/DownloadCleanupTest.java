package dev.goldfinch.app.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.models.DownloadException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalogue download that fails or is paused, from a server on 127.0.0.1, into a models folder that does not exist
 * yet: no empty folder stays behind, and a {@code .part} stays only where bytes arrived to resume from.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DownloadCleanupTest {
    static final int SIZE = 2_000_000;

    @TempDir
    Path dir;

    LocalFileServer server;
    byte[] data;
    byte[] vocab;
    ModelCatalogue.Tokenizer tokenizer;
    Path models;

    @BeforeEach
    void start() throws Exception {
        server = new LocalFileServer();
        data = LocalFileServer.bytes(SIZE, 5);
        vocab = LocalFileServer.bytes(40_000, 6);
        server.put("/models/model.pth", data);
        server.put("/vocab.txt", vocab);
        tokenizer = new ModelCatalogue.Tokenizer("vocab.txt", server.uri("/vocab.txt").toString(), LocalFileServer.sha256(vocab), vocab.length, 65536);
        models = dir.resolve("data").resolve("models"); // neither folder exists: the download makes both
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ModelCatalogue.Entry entry(String path, String sha256) {
        return Entries.known("tiny", "Tiny", "chat", "model.pth", server.uri(path).toString(), SIZE, sha256);
    }

    private DownloadException fails(ModelDownloader d, ModelCatalogue.Entry entry, DownloadHandle handle) {
        return assertThrows(DownloadException.class, () -> d.downloadModel(Entries.catalogue(tokenizer, entry), entry, models, null, handle));
    }

    /** Every empty folder under {@code dir} (itself left out: the test's own). */
    private List<Path> emptyFolders() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir) && Files.isDirectory(p)).filter(p -> {
                try (Stream<Path> in = Files.list(p)) {
                    return in.findAny().isEmpty();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    private List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aServerThatRefusesLeavesNoFolderAtAll() throws Exception {
        server.forcedStatus = 403;
        try (ModelDownloader d = new ModelDownloader()) {
            DownloadException e = fails(d, entry("/models/model.pth", null), null);
            assertEquals(Kind.HTTP_STATUS, e.kind(), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("data")), "the folders the download made are gone");
        assertEquals(List.of(), emptyFolders());
    }

    @Test
    void aMissingModelLeavesTheVocabularyButNotItsFolder() throws Exception {
        try (ModelDownloader d = new ModelDownloader()) {
            DownloadException e = fails(d, entry("/models/gone.pth", null), null);
            assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        }
        assertEquals(List.of("vocab.txt"), filesIn(models), "the whole, verified vocabulary stays; the entry's empty folder goes");
        assertEquals(List.of(), emptyFolders());
    }

    @Test
    void aPauseBeforeTheFirstByteLeavesNothing() throws Exception {
        DownloadHandle paused = new DownloadHandle();
        paused.cancel();
        try (ModelDownloader d = new ModelDownloader()) {
            DownloadException e = fails(d, entry("/models/model.pth", null), paused);
            assertEquals(Kind.PAUSED, e.kind(), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("data")));
    }

    @Test
    void aConnectionLostMidwayKeepsItsResumablePartAndNothingElse() throws Exception {
        var options = DownloadOptions.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(700));
        ModelCatalogue.Entry entry = entry("/models/model.pth", LocalFileServer.sha256(data));
        try (ModelDownloader d = new ModelDownloader(options)) {
            server.stallAt(SIZE / 3);
            DownloadException e = fails(d, entry, null);
            server.release();
            assertEquals(Kind.INTERRUPTED, e.kind(), e.getMessage());
            Path folder = models.resolve("tiny");
            assertEquals(List.of("model.pth.part", "model.pth.part.meta"), filesIn(folder), "the design keeps the .part to resume from");
            assertTrue(Files.size(folder.resolve("model.pth.part")) > 0);
            assertEquals(List.of(), emptyFolders());

            InstalledModel got = d.downloadModel(Entries.catalogue(tokenizer, entry), entry, models, null, null);
            assertArrayEquals(data, Files.readAllBytes(got.checkpoint()));
            assertTrue(server.rangesSeen.stream().anyMatch(r -> !r.equals("bytes=0-")), "resumed from the .part: " + server.rangesSeen);
        }
    }

    @Test
    void bytesThatFailTheChecksumAreDeletedWithTheirFolder() throws Exception {
        try (ModelDownloader d = new ModelDownloader()) {
            DownloadException e = fails(d, entry("/models/model.pth", "0".repeat(64)), null);
            assertTrue(e.getMessage().contains("SHA-256") || e.getMessage().contains("checksum"), e.getMessage());
        }
        assertEquals(List.of("vocab.txt"), filesIn(models));
        assertEquals(List.of(), emptyFolders());
    }

    @Test
    void aFolderThatWasThereBeforeStays() throws Exception {
        Files.createDirectories(models.resolve("tiny"));
        server.forcedStatus = 503;
        try (ModelDownloader d = new ModelDownloader()) {
            fails(d, entry("/models/model.pth", null), null);
        }
        assertTrue(Files.isDirectory(models.resolve("tiny")), "only what the download made is taken away");
    }
}
