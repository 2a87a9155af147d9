package dev.goldfinch.app.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.models.DownloadException.Kind;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entry whose file is found in the repository's listing at download time, against a local server that plays the
 * Hugging Face API ({@code /api/models/…/tree/main}) and its {@code resolve} redirects.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModelDownloaderListingTest {
    static final String REPO = "BlinkDL/rwkv7-g1";
    static final String KNOWN = "rwkv7-g1j-1.5b-20260831-ctx16384.pth";
    static final String NEWER = "rwkv7-g1k-1.5b-20261201-ctx16384.pth";

    @TempDir
    Path dir;

    LocalFileServer server;
    ModelDownloader downloader;
    ModelCatalogue.Tokenizer tokenizer;
    byte[] known;
    byte[] newer;

    @BeforeEach
    void start() throws Exception {
        server = new LocalFileServer();
        byte[] vocab = LocalFileServer.bytes(5_000, 20);
        server.put("/vocab.txt", vocab);
        tokenizer = new ModelCatalogue.Tokenizer("vocab.txt", server.uri("/vocab.txt").toString(), LocalFileServer.sha256(vocab), vocab.length, 65536);
        known = LocalFileServer.bytes(1_000_000, 21);
        newer = LocalFileServer.bytes(1_000_100, 22);
        server.put("/files/" + REPO + "/" + KNOWN, known);
        server.put("/files/" + REPO + "/" + NEWER, newer);
        downloader = new ModelDownloader(DownloadOptions.defaults().withHub(server.hub()));
    }

    @AfterEach
    void stop() {
        downloader.close();
        server.close();
    }

    private void listG1(String newerSha) throws Exception {
        server.listing(REPO, "", "[" + String.join(",",
                "{\"type\": \"file\", \"oid\": \"2b1c\", \"size\": 1520, \"path\": \"README.md\"}",
                LocalFileServer.lfsFile("rwkv7-g1d-1.5b-20250301-ctx4096.pth", 1_000_050, LocalFileServer.sha256(new byte[1])),
                LocalFileServer.lfsFile(KNOWN, known.length, LocalFileServer.sha256(known)),
                LocalFileServer.lfsFile(NEWER, newer.length, newerSha),
                LocalFileServer.lfsFile("rwkv7-g1k-2.9b-20261201-ctx16384.pth", 2_000_000, LocalFileServer.sha256(new byte[2])),
                "{\"type\": \"directory\", \"oid\": \"77aa\", \"size\": 0, \"path\": \"old\"}") + "]");
    }

    /** The G1 1.5B entry: the catalogue's file as the fallback, and the rule that finds the newest of the size. */
    private ModelCatalogue.Entry g1() throws Exception {
        return Entries.listed("g1-1b5", KNOWN, server.uri("/" + REPO + "/resolve/main/" + KNOWN).toString(), known.length, 0,
                LocalFileServer.sha256(known), REPO, "", "rwkv7-g1*-1.5b-*.pth");
    }

    @Test
    void theNewestFileOfTheSizeIsFoundDownloadedAndVerifiedByTheListing() throws Exception {
        listG1(LocalFileServer.sha256(newer));
        ModelCatalogue.Entry entry = g1();
        List<String> found = new CopyOnWriteArrayList<>();

        InstalledModel got = downloader.downloadModel(Entries.catalogue(tokenizer, entry), entry, dir, null, null, found::add);

        assertEquals(dir.resolve("g1-1b5").resolve(NEWER), got.checkpoint());
        assertArrayEquals(newer, Files.readAllBytes(got.checkpoint()));
        assertEquals("the listing of " + REPO, got.verifiedBy());
        assertEquals(List.of("Found " + NEWER + " (1.0 MB) in " + REPO + ", newer than the catalogue's " + KNOWN + "."), found);
        assertEquals(found.getFirst(), got.found());
        assertTrue(server.pathsSeen.contains("/files/" + REPO + "/" + NEWER), "fetched from the hub's resolve address: " + server.pathsSeen);
        assertEquals(got.checkpoint(), ModelsFolder.installed(Entries.catalogue(tokenizer, entry), entry, dir).orElseThrow().checkpoint());

        server.pathsSeen.clear();
        InstalledModel again = downloader.downloadModel(Entries.catalogue(tokenizer, entry), entry, dir, null, null);
        assertEquals(got.checkpoint(), again.checkpoint());
        assertEquals("the listing of " + REPO, again.verifiedBy(), "as the side JSON says");
        assertTrue(server.pathsSeen.stream().noneMatch(p -> p.startsWith("/api/")), "a model in place is not looked up again: " + server.pathsSeen);
    }

    @Test
    void aListingThatLiesAboutTheHashLosesOnlyThatDownload() throws Exception {
        String lie = LocalFileServer.sha256(new byte[3]);
        listG1(lie);
        ModelCatalogue.Entry entry = g1();

        DownloadException e = assertThrows(DownloadException.class, () -> downloader.downloadModel(Entries.catalogue(tokenizer, entry), entry, dir, null, null));

        assertEquals(Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().startsWith("checksum mismatch for " + NEWER + " from 127.0.0.1: expected SHA-256 " + lie
                + " (the listing of " + REPO + ")"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertFalse(Files.exists(dir.resolve("g1-1b5")), "the bad file is gone, and the folder made for it with it");
        assertTrue(Files.isRegularFile(dir.resolve("vocab.txt")), "the vocabulary is kept");
    }

    @Test
    void theListingAndTheCatalogueDisagreeingOnTheSameFileStopsTheDownload() throws Exception {
        server.listing(REPO, "", "[" + LocalFileServer.lfsFile(KNOWN, known.length, LocalFileServer.sha256(newer)) + "]");
        ModelCatalogue.Entry entry = g1();

        DownloadException e = assertThrows(DownloadException.class, () -> downloader.downloadModel(Entries.catalogue(tokenizer, entry), entry, dir, null, null));

        assertEquals(Kind.MISMATCH, e.kind());
        assertTrue(e.getMessage().startsWith("the listing of " + REPO + " gives " + KNOWN + " as SHA-256 " + LocalFileServer.sha256(newer)
                + " where the catalogue says " + LocalFileServer.sha256(known)), e.getMessage());
        assertFalse(server.pathsSeen.contains("/vocab.txt"), "nothing was downloaded");
    }

    @Test
    void anUnreadableListingFallsBackToTheCataloguesFile() throws Exception {
        server.listingStatus = 503;
        ModelCatalogue.Entry entry = g1();
        List<String> found = new CopyOnWriteArrayList<>();

        InstalledModel got = downloader.downloadModel(Entries.catalogue(tokenizer, entry), entry, dir, null, null, found::add);

        assertEquals(dir.resolve("g1-1b5").resolve(KNOWN), got.checkpoint());
        assertArrayEquals(known, Files.readAllBytes(got.checkpoint()));
        assertEquals("the catalogue", got.verifiedBy());
        assertEquals(List.of("The listing of " + REPO + " could not be read (127.0.0.1 answered HTTP 503 for /api/models/" + REPO
                + "/tree/main); downloading the catalogue's " + KNOWN + "."), found);
    }

    @Test
    void anUnreachableHubFallsBackToTheCataloguesFileToo() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ModelCatalogue.Entry entry = g1();
        try (ModelDownloader offlineHub = new ModelDownloader(DownloadOptions.defaults().withHub(URI.create("http://127.0.0.1:" + closedPort)))) {
            List<String> found = new CopyOnWriteArrayList<>();
            InstalledModel got = offlineHub.downloadModel(Entries.catalogue(tokenizer, entry), entry, dir, null, null, found::add);

            assertArrayEquals(known, Files.readAllBytes(got.checkpoint()));
            assertTrue(found.getFirst().startsWith("The listing of " + REPO + " could not be read (cannot reach 127.0.0.1: you seem to be offline"), found.toString());
        }
    }

    /** A paper checkpoint: the folder is known, the file name is not. */
    private static ModelCatalogue.Entry paper(long approxBytes) {
        return Entries.listed("gf-l12", null, null, 0, approxBytes, null, "recursal/GoldFinch-paper", "L12-D768-ctx1024",
                "rwkv-final.pth", "rwkv-*.pth");
    }

    @Test
    void aFileNameNobodyKnowsIsFoundInTheFolder() throws Exception {
        byte[] ckpt = LocalFileServer.bytes(400_000, 23);
        server.put("/files/recursal/GoldFinch-paper/L12-D768-ctx1024/rwkv-12.pth", ckpt);
        server.listing("recursal/GoldFinch-paper", "L12-D768-ctx1024", "[" + String.join(",",
                LocalFileServer.lfsFile("L12-D768-ctx1024/rwkv-3.pth", 400_000, LocalFileServer.sha256(new byte[4])),
                LocalFileServer.lfsFile("L12-D768-ctx1024/rwkv-12.pth", ckpt.length, LocalFileServer.sha256(ckpt)),
                LocalFileServer.lfsFile("L12-D768-ctx1024/rwkv-9.pth", 400_000, LocalFileServer.sha256(new byte[5]))) + "]");
        ModelCatalogue.Entry entry = paper(390_000);
        List<String> found = new CopyOnWriteArrayList<>();

        InstalledModel got = downloader.downloadModel(Entries.catalogue(tokenizer, entry), entry, dir, null, null, found::add);

        assertEquals("rwkv-12.pth", got.checkpoint().getFileName().toString(), "the last checkpoint the trainer saved");
        assertArrayEquals(ckpt, Files.readAllBytes(got.checkpoint()));
        assertEquals(List.of("Found rwkv-12.pth (400 kB) in recursal/GoldFinch-paper/L12-D768-ctx1024."), found);
        assertEquals("the listing of recursal/GoldFinch-paper/L12-D768-ctx1024", got.verifiedBy());
    }

    @Test
    void nothingMatchingIsOneClearLineAndNothingIsDownloaded() throws Exception {
        server.listing("recursal/GoldFinch-paper", "L12-D768-ctx1024", "[" + String.join(",",
                "{\"type\": \"file\", \"oid\": \"2b1c\", \"size\": 900, \"path\": \"L12-D768-ctx1024/config.json\"}",
                "{\"type\": \"file\", \"oid\": \"2b1d\", \"size\": 1900, \"path\": \"L12-D768-ctx1024/train.log\"}") + "]");
        ModelCatalogue.Entry entry = paper(390_000);

        DownloadException e = assertThrows(DownloadException.class, () -> downloader.downloadModel(Entries.catalogue(tokenizer, entry), entry, dir, null, null));

        assertEquals(Kind.NOT_FOUND, e.kind());
        assertEquals("no file in recursal/GoldFinch-paper/L12-D768-ctx1024 matches rwkv-final.pth or rwkv-*.pth (it holds config.json, train.log),"
                + " so Listed gf-l12 cannot be downloaded; the catalogue needs an update", e.getMessage());
        assertFalse(server.pathsSeen.contains("/vocab.txt"), "nothing was downloaded: " + server.pathsSeen);
    }

    @Test
    void aHubThatHangsUpWithoutAnAnswerIsNamedOnce() throws Exception {
        try (ServerSocket hangUp = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try (Socket s = hangUp.accept()) {
                        s.getInputStream().read(new byte[4096]); // the request, then no answer at all
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            ModelCatalogue.Entry entry = paper(390_000);
            try (ModelDownloader silent = new ModelDownloader(DownloadOptions.defaults().withHub(URI.create("http://127.0.0.1:" + hangUp.getLocalPort())))) {
                DownloadException e = assertThrows(DownloadException.class,
                        () -> silent.downloadModel(Entries.catalogue(tokenizer, entry), entry, dir, null, null));

                assertEquals(Kind.INTERRUPTED, e.kind(), e.getMessage());
                assertTrue(e.getMessage().startsWith("cannot look up the file of Listed gf-l12 in recursal/GoldFinch-paper/L12-D768-ctx1024:"
                        + " the listing from 127.0.0.1 failed: "), e.getMessage());
                assertEquals(1, e.getMessage().lines().count());
            }
        }
    }

    @Test
    void aListingThatCannotBeReadWithoutAKnownFileIsOneLine() {
        server.listingStatus = 503;
        ModelCatalogue.Entry entry = paper(390_000);

        DownloadException e = assertThrows(DownloadException.class, () -> downloader.downloadModel(Entries.catalogue(tokenizer, entry), entry, dir, null, null));

        assertEquals(Kind.HTTP_STATUS, e.kind());
        assertEquals("cannot look up the file of Listed gf-l12 in recursal/GoldFinch-paper/L12-D768-ctx1024: 127.0.0.1 answered HTTP 503"
                + " for /api/models/recursal/GoldFinch-paper/tree/main/L12-D768-ctx1024", e.getMessage());
    }
}
