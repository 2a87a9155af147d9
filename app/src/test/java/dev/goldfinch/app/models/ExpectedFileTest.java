package dev.goldfinch.app.models;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.goldfinch.app.models.DownloadException.Kind;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a download's bytes must be and who says so: the request first, else the server's record; without a network. */
class ExpectedFileTest {
    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);
    static final URI URL = URI.create("https://hub.example/m.pth");
    static final Path TARGET = Path.of("m.pth");

    private static FileRequest request(String sha, long exact) {
        return new FileRequest(URL, TARGET, sha, 1_000, exact, "the catalogue");
    }

    @Test
    void theRequestIsTakenOverTheRecordAndTheRecordFillsWhatItLacks() throws Exception {
        assertEquals(new ExpectedFile(A, "the catalogue", 1_000, "the catalogue"), ExpectedFile.of(request(A, 1_000), new ServerRecord(A, 1_000)));
        assertEquals(new ExpectedFile(B, "hub.example's record (X-Linked-Etag)", 1_000, "hub.example's record (X-Linked-Size)"),
                ExpectedFile.of(request(null, 0), new ServerRecord(B, 1_000)));
        ExpectedFile nobody = ExpectedFile.of(request(null, 0), ServerRecord.NONE);
        assertEquals(new ExpectedFile(null, null, 0, null), nobody);
        assertNull(nobody.verifiedBy(), "unverified");
    }

    @Test
    void aRecordThatContradictsTheRequestIsRefused() {
        assertEquals(Kind.MISMATCH, assertThrows(DownloadException.class, () -> ExpectedFile.of(request(A, 0), new ServerRecord(B, 0))).kind());
        assertEquals(Kind.MISMATCH, assertThrows(DownloadException.class, () -> ExpectedFile.of(request(null, 1_000), new ServerRecord(null, 999))).kind());
    }

    @Test
    void anAnnouncedSizeMustBeTheExpectedOneAndNearTheHint() throws Exception {
        ExpectedFile exact = ExpectedFile.of(request(null, 1_000), ServerRecord.NONE);
        assertDoesNotThrow(() -> exact.checkAnnounced(1_000, request(null, 1_000), URL));
        assertDoesNotThrow(() -> exact.checkAnnounced(-1, request(null, 1_000), URL), "not announced: checked at the end");
        assertEquals(Kind.MISMATCH, assertThrows(DownloadException.class, () -> exact.checkAnnounced(1_001, request(null, 1_000), URL)).kind());

        ExpectedFile rough = ExpectedFile.of(request(null, 0), ServerRecord.NONE);
        assertDoesNotThrow(() -> rough.checkAnnounced(1_900, request(null, 0), URL));
        DownloadException page = assertThrows(DownloadException.class, () -> rough.checkAnnounced(40, request(null, 0), URL));
        assertEquals(Kind.HTTP_STATUS, page.kind());
        assertEquals("hub.example sent 40 B for m.pth where about 1.0 kB were expected (a network's sign-in page?); nothing was saved", page.getMessage());
    }

    @Test
    void theWholeFileIsCheckedBySizeThenBySha256() throws Exception {
        ExpectedFile e = ExpectedFile.of(request(A, 1_000), ServerRecord.NONE);
        assertDoesNotThrow(() -> e.check(1_000, 1_000, A, request(A, 1_000)));
        assertEquals("m.pth from hub.example has 999 bytes where 1000 were announced; the damaged download was deleted, download again to start over",
                assertThrows(DownloadException.class, () -> e.check(999, 1_000, A, request(A, 1_000))).getMessage());
        assertEquals("m.pth from hub.example has 999 bytes where the catalogue says 1000; the download was deleted",
                assertThrows(DownloadException.class, () -> e.check(999, -1, A, request(A, 1_000))).getMessage());
        DownloadException sha = assertThrows(DownloadException.class, () -> e.check(1_000, 1_000, B, request(A, 1_000)));
        assertEquals(Kind.CORRUPT, sha.kind());
        assertEquals("checksum mismatch for m.pth from hub.example: expected SHA-256 " + A + " (the catalogue), got " + B
                + "; the damaged download was deleted", sha.getMessage());
        assertEquals("the catalogue", e.verifiedBy());
    }
}
