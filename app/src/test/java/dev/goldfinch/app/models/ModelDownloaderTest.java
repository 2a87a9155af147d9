package dev.goldfinch.app.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.models.DownloadException.Kind;
import dev.goldfinch.app.models.DownloadProgress.Phase;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a local server on 127.0.0.1: complete, paused and resumed, restarted, refused, unreachable, too big. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModelDownloaderTest {
    static final int SIZE = 3_000_000;

    @TempDir
    Path dir;

    LocalFileServer server;
    ModelDownloader downloader;
    byte[] data;
    String sha;

    @BeforeEach
    void start() throws Exception {
        server = new LocalFileServer();
        data = LocalFileServer.bytes(SIZE, 1);
        sha = LocalFileServer.sha256(data);
        server.put("/models/model.pth", data);
        downloader = new ModelDownloader();
    }

    @AfterEach
    void stop() {
        downloader.close();
        server.close();
    }

    private FileRequest request(String path, String sha256) {
        return new FileRequest(server.uri(path), dir.resolve("model.pth"), sha256, SIZE);
    }

    private Path target() {
        return dir.resolve("model.pth");
    }

    private Path part() {
        return dir.resolve("model.pth.part");
    }

    @Test
    void downloadsAndVerifiesTheChecksum() throws Exception {
        List<DownloadProgress> seen = new CopyOnWriteArrayList<>();
        DownloadedFile r = downloader.download(request("/redirect/models/model.pth", sha), seen::add, null);

        assertArrayEquals(data, Files.readAllBytes(target()));
        assertEquals(sha, r.sha256());
        assertEquals(SIZE, r.bytes());
        assertFalse(r.alreadyPresent());
        assertFalse(Files.exists(part()), "the .part was moved into place");
        assertFalse(Files.exists(PartialDownload.metaFile(target())));
        assertTrue(seen.stream().anyMatch(p -> p.phase() == Phase.DOWNLOADING && p.total() == SIZE));
        DownloadProgress last = seen.getLast();
        assertEquals(Phase.DONE, last.phase());
        assertEquals(SIZE, last.done());
        assertTrue(server.rangesSeen.isEmpty(), "a fresh download asks for the whole file");

        DownloadedFile again = downloader.download(request("/models/model.pth", sha), null, null);
        assertTrue(again.alreadyPresent(), "a verified file in place is not fetched again");
    }

    /** Starts a download that the server stops at {@code stallAt}, pauses it from another thread, returns the error. */
    private DownloadException pauseAt(long stallAt, String path, String sha256) throws Exception {
        server.stallAt(stallAt);
        DownloadHandle handle = new DownloadHandle();
        CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
            try {
                return downloader.download(request(path, sha256), null, handle);
            } catch (DownloadException e) {
                return e;
            }
        });
        assertTrue(server.stalled.await(20, TimeUnit.SECONDS), "the server reached the stop");
        Thread.sleep(200); // let the client take what was sent
        long t0 = System.nanoTime();
        handle.cancel();
        Object outcome = running.get(10, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "a pause ends a blocked read at once");
        server.release();
        return assertInstanceOfDownloadException(outcome);
    }

    private static DownloadException assertInstanceOfDownloadException(Object o) {
        assertTrue(o instanceof DownloadException, "expected a DownloadException, got " + o);
        return (DownloadException) o;
    }

    @Test
    void pausedMidwayThenResumesWithARangeRequest() throws Exception {
        DownloadException paused = pauseAt(SIZE / 2, "/redirect/models/model.pth", sha);
        assertEquals(Kind.PAUSED, paused.kind(), paused.getMessage());
        assertTrue(paused.getMessage().contains("paused"), paused.getMessage());
        assertFalse(Files.exists(target()), "no final file before it is complete");
        long kept = Files.size(part());
        assertTrue(kept > 0 && kept < SIZE, "the .part keeps what arrived: " + kept);

        List<DownloadProgress> seen = new CopyOnWriteArrayList<>();
        DownloadedFile r = downloader.download(request("/redirect/models/model.pth", sha), seen::add, new DownloadHandle());

        assertArrayEquals(data, Files.readAllBytes(target()));
        assertEquals(sha, r.sha256(), "the checksum covers the kept bytes (re-read) and the new ones");
        assertTrue(server.rangesSeen.contains("bytes=" + kept + "-"), "resumed with Range from " + kept + ": " + server.rangesSeen);
        assertTrue(server.statusesSent.contains(206));
        assertTrue(seen.stream().filter(p -> p.phase() == Phase.DOWNLOADING).allMatch(p -> p.done() >= kept),
                "progress goes on from the kept bytes");
        assertFalse(Files.exists(part()));
    }

    @Test
    void aServerThatIgnoresRangeMakesItStartOver() throws Exception {
        // a .part of the right length but wrong content: if it were kept, the checksum would fail
        Files.write(part(), LocalFileServer.bytes(SIZE / 3, 99));
        server.ignoreRange = true;

        DownloadedFile r = downloader.download(request("/models/model.pth", null), null, null);

        assertEquals(List.of("bytes=" + SIZE / 3 + "-"), server.rangesSeen, "it asked to resume");
        assertEquals(List.of(200), server.statusesSent);
        assertArrayEquals(data, Files.readAllBytes(target()), "the whole file, the old .part overwritten");
        assertEquals(sha, r.sha256(), "the checksum starts over with the bytes");
    }

    @Test
    void aFileChangedOnTheServerSinceThePauseIsFetchedAnew() throws Exception {
        DownloadException paused = pauseAt(SIZE / 2, "/models/model.pth", null);
        assertEquals(Kind.PAUSED, paused.kind());
        byte[] newer = LocalFileServer.bytes(SIZE, 2);
        server.put("/models/model.pth", newer);
        server.etag = "\"v2\"";

        DownloadedFile r = downloader.download(request("/models/model.pth", null), null, null);

        assertArrayEquals(newer, Files.readAllBytes(target()), "If-Range did not match: the new file, whole, not a mix");
        assertEquals(LocalFileServer.sha256(newer), r.sha256());
    }

    @Test
    void aCompletePartIsFinishedAfterA416() throws Exception {
        Files.write(part(), data); // e.g. the program stopped between the last byte and the move

        DownloadedFile r = downloader.download(request("/models/model.pth", sha), null, null);

        assertEquals(List.of(416), server.statusesSent);
        assertArrayEquals(data, Files.readAllBytes(target()));
        assertEquals(sha, r.sha256());
    }

    @Test
    void aChecksumMismatchDeletesTheDownload() {
        String wrong = "0".repeat(64);
        DownloadException e = assertThrows(DownloadException.class, () -> downloader.download(request("/models/model.pth", wrong), null, null));

        assertEquals(Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().startsWith("checksum mismatch for model.pth from 127.0.0.1"), e.getMessage());
        assertTrue(e.getMessage().contains(sha), "names the SHA-256 it got: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertFalse(Files.exists(target()), "no final file");
        assertFalse(Files.exists(part()), "the bad bytes are not kept");
    }

    @Test
    void notFoundIsAClearError() {
        DownloadException e = assertThrows(DownloadException.class, () -> downloader.download(request("/models/missing.pth", null), null, null));

        assertEquals(Kind.HTTP_STATUS, e.kind());
        assertTrue(e.getMessage().startsWith("127.0.0.1 has no model.pth (HTTP 404)"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertFalse(Files.exists(target()));
    }

    @Test
    void serverErrorsAreClearErrors() {
        server.forcedStatus = 503;
        DownloadException e = assertThrows(DownloadException.class, () -> downloader.download(request("/models/model.pth", null), null, null));
        assertEquals(Kind.HTTP_STATUS, e.kind());
        assertTrue(e.getMessage().contains("HTTP 503") && e.getMessage().contains("try again later"), e.getMessage());

        server.forcedStatus = 403;
        e = assertThrows(DownloadException.class, () -> downloader.download(request("/models/model.pth", null), null, null));
        assertTrue(e.getMessage().startsWith("127.0.0.1 refused model.pth (HTTP 403)"), e.getMessage());
    }

    @Test
    void anUnreachableHostSaysOffline() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/models/model.pth");
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.download(new FileRequest(nowhere, target(), null, SIZE), null, null));

        assertEquals(Kind.OFFLINE, e.kind());
        assertTrue(e.getMessage().startsWith("cannot reach 127.0.0.1: you seem to be offline"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertFalse(Files.exists(target()));
    }

    @Test
    void notEnoughDiskSpaceStopsBeforeTheFirstByte() {
        try (ModelDownloader tight = new ModelDownloader(DownloadOptions.defaults().withFreeSpace(d -> 1_000_000))) {
            DownloadException e = assertThrows(DownloadException.class, () -> tight.download(request("/models/model.pth", sha), null, null));

            assertEquals(Kind.DISK_SPACE, e.kind());
            assertTrue(e.getMessage().startsWith("not enough disk space in " + dir), e.getMessage());
            assertTrue(e.getMessage().contains("model.pth needs 3.0 MB") && e.getMessage().contains("only 1.0 MB free"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
            assertFalse(Files.exists(part()), "nothing was written");
        }
    }

    @Test
    void aStalledConnectionIsReportedAndResumable() throws Exception {
        var options = DownloadOptions.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(700));
        try (ModelDownloader impatient = new ModelDownloader(options)) {
            server.stallAt(SIZE / 4);
            DownloadException e = assertThrows(DownloadException.class, () -> impatient.download(request("/models/model.pth", sha), null, null));
            server.release();

            assertEquals(Kind.INTERRUPTED, e.kind());
            assertTrue(e.getMessage().startsWith("no data from 127.0.0.1 for 0.7 s after "), e.getMessage());
            assertTrue(Files.size(part()) > 0);

            impatient.download(request("/models/model.pth", sha), null, null);
            assertArrayEquals(data, Files.readAllBytes(target()));
        }
    }

    @Test
    void anAnswerFarSmallerThanExpectedIsNotTakenForTheFile() {
        server.put("/login", "<html>sign in to the hotel wifi</html>".getBytes());
        DownloadException e = assertThrows(DownloadException.class, () -> downloader.download(request("/login", null), null, null));
        assertEquals(Kind.HTTP_STATUS, e.kind());
        assertTrue(e.getMessage().contains("where about 3.0 MB were expected"), e.getMessage());
        assertFalse(Files.exists(target()));
    }

    @Test
    void aCatalogueModelComesWithTheVocabularyAndItsKind() throws Exception {
        byte[] vocab = LocalFileServer.bytes(50_000, 3);
        server.put("/vocab.txt", vocab);
        var tokenizer = new ModelCatalogue.Tokenizer("vocab.txt", server.uri("/vocab.txt").toString(), LocalFileServer.sha256(vocab), vocab.length, 65536);
        var entry = Entries.known("tiny-chat", "Tiny chat", "chat", "model.pth", server.uri("/redirect/models/model.pth").toString(), SIZE, sha);
        var catalogue = Entries.catalogue(tokenizer, entry);
        Path models = dir.resolve("models");
        assertTrue(ModelsFolder.installed(catalogue, entry, models).isEmpty());

        List<String> files = new CopyOnWriteArrayList<>();
        InstalledModel got = downloader.downloadModel(catalogue, entry, models,
                p -> { if (p.phase() == Phase.DONE) files.add(p.file()); }, null);

        assertEquals(models.resolve("tiny-chat").resolve("model.pth"), got.checkpoint());
        assertEquals(models.resolve("vocab.txt"), got.vocab());
        assertArrayEquals(data, Files.readAllBytes(got.checkpoint()));
        assertArrayEquals(vocab, Files.readAllBytes(got.vocab()));
        assertEquals(List.of("vocab.txt", "model.pth"), files);
        String side = Files.readString(models.resolve("tiny-chat").resolve("model.json"));
        assertTrue(side.contains("\"kind\" : \"chat\""), side);
        assertTrue(side.contains("\"verified_by\" : \"the catalogue\""), side);
        assertEquals("the catalogue", got.verifiedBy());
        assertEquals(got, ModelsFolder.installed(catalogue, entry, models).orElseThrow());
        assertEquals(0, ModelsFolder.partialBytes(entry, models));

        try (ModelDownloader tight = new ModelDownloader(DownloadOptions.defaults().withFreeSpace(d -> 0))) {
            var other = Entries.known("other", "Other", "base", "goldfinch.pth", server.uri("/models/model.pth").toString(), SIZE, null);
            DownloadException e = assertThrows(DownloadException.class,
                    () -> tight.downloadModel(Entries.catalogue(tokenizer, other), other, models, null, null));
            assertEquals(Kind.DISK_SPACE, e.kind());
            assertTrue(e.getMessage().contains("Other needs 3.0 MB"), e.getMessage());
        }
    }

    @Test
    void aSecondDownloadOfTheSameFileIsRefusedWhileTheFirstRuns() throws Exception {
        server.stallAt(SIZE / 2);
        DownloadHandle first = new DownloadHandle();
        CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
            try {
                return downloader.download(request("/models/model.pth", sha), null, first);
            } catch (DownloadException e) {
                return e;
            }
        });
        assertTrue(server.stalled.await(20, TimeUnit.SECONDS));
        try (ModelDownloader other = new ModelDownloader()) {
            DownloadException e = assertThrows(DownloadException.class, () -> other.download(request("/models/model.pth", sha), null, null));
            assertEquals(Kind.BUSY, e.kind());
            assertTrue(e.getMessage().startsWith("model.pth is already being downloaded"), e.getMessage());
        }
        first.cancel();
        assertEquals(Kind.PAUSED, assertInstanceOfDownloadException(running.get(10, TimeUnit.SECONDS)).kind());
        server.release();
        downloader.download(request("/models/model.pth", sha), null, null);
        assertArrayEquals(data, Files.readAllBytes(target()));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(target()), files.toList(), "no .part, .meta or .lock left behind");
        }
    }

    @Test
    void interruptingTheThreadPausesToo() throws Exception {
        server.stallAt(SIZE / 2);
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                outcome.complete(downloader.download(request("/models/model.pth", sha), null, null));
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        assertTrue(server.stalled.await(20, TimeUnit.SECONDS));
        Thread.sleep(200); // let the client take what was sent
        t.interrupt();
        Object o;
        try {
            o = outcome.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e;
        }
        assertEquals(Kind.PAUSED, assertInstanceOfDownloadException(o).kind());
        assertTrue(Files.size(part()) > 0);
    }
}
