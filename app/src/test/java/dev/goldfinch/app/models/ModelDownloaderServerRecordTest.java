package dev.goldfinch.app.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.models.DownloadException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's own record of a file (Hugging Face's X-Linked-Etag and X-Linked-Size on the redirect to its CDN),
 * against a local server that sends it true, lying, or not at all.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModelDownloaderServerRecordTest {
    static final int SIZE = 2_000_000;

    @TempDir
    Path dir;

    LocalFileServer server;
    ModelDownloader downloader;
    byte[] data;
    String sha;

    @BeforeEach
    void start() throws Exception {
        server = new LocalFileServer();
        data = LocalFileServer.bytes(SIZE, 11);
        sha = LocalFileServer.sha256(data);
        server.put("/models/model.pth", data);
        downloader = new ModelDownloader();
    }

    @AfterEach
    void stop() {
        downloader.close();
        server.close();
    }

    private Path target() {
        return dir.resolve("model.pth");
    }

    /** As a catalogue entry without a hash asks: the size roughly, no SHA-256. */
    private FileRequest unhashed() {
        return new FileRequest(server.uri("/redirect/models/model.pth"), target(), null, SIZE);
    }

    @Test
    void theRecordOnTheRedirectVerifiesAFileTheCatalogueHasNoHashFor() throws Exception {
        server.record("/models/model.pth", "\"" + sha + "\"", (long) SIZE);

        DownloadedFile r = downloader.download(unhashed(), null, null);

        assertArrayEquals(data, Files.readAllBytes(target()));
        assertEquals(sha, r.sha256());
        assertEquals("127.0.0.1's record (X-Linked-Etag)", r.verifiedBy());
        assertTrue(server.statusesSent.contains(302), "the record came on the redirect: " + server.statusesSent);
    }

    @Test
    void aWeakUpperCaseEtagIsReadAsTheSameHash() throws Exception {
        server.record("/models/model.pth", "W/\"" + sha.toUpperCase(Locale.ROOT) + "\"", null);
        assertTrue(downloader.download(unhashed(), null, null).verified());

        assertEquals(sha, ServerRecord.sha256OfEtag(sha));
        assertNull(ServerRecord.sha256OfEtag("\"0123456789abcdef0123456789abcdef01234567\""), "a git hash is not a SHA-256");
        assertNull(ServerRecord.sha256OfEtag("W/\"v1\""));
    }

    @Test
    void aLyingHashIsRefusedAndOnlyTheBadFileIsDeleted() throws Exception {
        String lie = LocalFileServer.sha256(LocalFileServer.bytes(10, 12));
        server.record("/models/model.pth", "\"" + lie + "\"", (long) SIZE);
        Path neighbour = Files.writeString(dir.resolve("rwkv_vocab_v20230424.txt"), "kept");

        DownloadException e = assertThrows(DownloadException.class, () -> downloader.download(unhashed(), null, null));

        assertEquals(Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().startsWith("checksum mismatch for model.pth from 127.0.0.1: expected SHA-256 " + lie
                + " (127.0.0.1's record (X-Linked-Etag)), got " + sha), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertFalse(Files.exists(target()));
        assertFalse(Files.exists(PartialDownload.partFile(target())), "the bad bytes are not kept");
        assertEquals("kept", Files.readString(neighbour), "nothing else is lost");
    }

    @Test
    void aLyingSizeIsRefusedBeforeAnythingIsSaved() {
        server.record("/models/model.pth", null, (long) SIZE + 1);

        DownloadException e = assertThrows(DownloadException.class, () -> downloader.download(unhashed(), null, null));

        assertEquals(Kind.MISMATCH, e.kind());
        assertEquals("127.0.0.1 announces " + SIZE + " bytes for model.pth where 127.0.0.1's record (X-Linked-Size) says " + (SIZE + 1)
                + "; refused, nothing more was downloaded", e.getMessage());
        assertFalse(Files.exists(target()));
        assertFalse(Files.exists(PartialDownload.partFile(target())));
    }

    @Test
    void aCatalogueHashTheServerContradictsStopsTheDownloadBeforeItStarts() throws Exception {
        String other = LocalFileServer.sha256(LocalFileServer.bytes(10, 13));
        server.record("/models/model.pth", "\"" + other + "\"", (long) SIZE);
        var request = new FileRequest(server.uri("/redirect/models/model.pth"), target(), sha, SIZE, SIZE, "the catalogue");

        DownloadException e = assertThrows(DownloadException.class, () -> downloader.download(request, null, null));

        assertEquals(Kind.MISMATCH, e.kind());
        assertEquals("the SHA-256 of model.pth in the catalogue (" + sha + ") is not the one 127.0.0.1 records (" + other
                + "): the file on the server is not the one expected; nothing was downloaded", e.getMessage());
        assertFalse(server.pathsSeen.contains("/models/model.pth"), "the redirect was not followed: " + server.pathsSeen);
        assertFalse(Files.exists(PartialDownload.partFile(target())));
    }

    @Test
    void aCatalogueSizeTheServerContradictsIsRefusedToo() {
        server.record("/models/model.pth", null, (long) SIZE - 5);
        var request = new FileRequest(server.uri("/redirect/models/model.pth"), target(), null, SIZE, SIZE, "the catalogue");

        DownloadException e = assertThrows(DownloadException.class, () -> downloader.download(request, null, null));

        assertEquals(Kind.MISMATCH, e.kind());
        assertTrue(e.getMessage().startsWith("model.pth has " + SIZE + " bytes in the catalogue but " + (SIZE - 5) + " in 127.0.0.1's record"), e.getMessage());
    }

    @Test
    void withNoHashFromAnyoneTheModelIsKeptButSaidToBeUnverified() throws Exception {
        byte[] vocab = LocalFileServer.bytes(5_000, 14);
        server.put("/vocab.txt", vocab);
        var tokenizer = new ModelCatalogue.Tokenizer("vocab.txt", server.uri("/vocab.txt").toString(), LocalFileServer.sha256(vocab), vocab.length, 65536);
        var entry = Entries.known("plain", "Plain", "base", "model.pth", server.uri("/redirect/models/model.pth").toString(), 0, null);

        InstalledModel got = downloader.downloadModel(Entries.catalogue(tokenizer, entry), entry, dir, null, null);

        assertArrayEquals(data, Files.readAllBytes(got.checkpoint()));
        assertNull(got.verifiedBy());
        assertEquals("not verified: neither the catalogue nor the server gave a SHA-256 for model.pth, so it could not be checked",
                got.unverifiedWarning().orElseThrow());
        String side = Files.readString(got.checkpoint().resolveSibling("model.json"));
        assertTrue(side.contains("\"verified\" : false") && side.contains("\"sha256\" : \"" + sha + "\""), side);
    }

    @Test
    void aResumedDownloadIsStillCheckedAgainstTheRecordTheFirstRequestGot() throws Exception {
        server.record("/models/model.pth", "\"" + sha + "\"", (long) SIZE);
        server.stallAt(SIZE / 2);
        DownloadHandle handle = new DownloadHandle();
        CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
            try {
                return downloader.download(unhashed(), null, handle);
            } catch (DownloadException e) {
                return e;
            }
        });
        assertTrue(server.stalled.await(20, TimeUnit.SECONDS));
        Thread.sleep(200);
        handle.cancel();
        assertEquals(Kind.PAUSED, ((DownloadException) running.get(10, TimeUnit.SECONDS)).kind());
        server.release();
        server.record("/models/model.pth", null, null); // the redirect now says nothing

        DownloadedFile r = downloader.download(unhashed(), null, null);

        assertEquals(sha, r.sha256());
        assertEquals("127.0.0.1's record (X-Linked-Etag)", r.verifiedBy(), "the record was kept beside the .part");
    }
}
