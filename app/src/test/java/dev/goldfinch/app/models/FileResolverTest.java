package dev.goldfinch.app.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.models.FileResolver.Listed;
import java.net.URI;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Which file of a listing an entry takes (FileResolver, without a network): patterns, newest, plausible size. */
class FileResolverTest {
    static final String SHA = "a".repeat(64);

    private static ModelCatalogue.Entry entry(long approxBytes, String... patterns) {
        return Entries.listed("e", null, null, 0, approxBytes, null, "owner/repo", "", patterns);
    }

    private static List<Listed> files(String... names) {
        return Stream.of(names).map(n -> new Listed(n, 1_000_000, SHA)).toList();
    }

    @Test
    void patternsMatchWholeNamesWithStarsAndQuestionMarks() {
        assertTrue(FileResolver.glob("rwkv7-g1*-1.5b-*.pth").matcher("rwkv7-g1j-1.5b-20260831-ctx16384.pth").matches());
        assertTrue(FileResolver.glob("rwkv7-g1*-1.5b-*.pth").matcher("rwkv7-g1-1.5b-20250429-ctx4096.pth").matches());
        assertFalse(FileResolver.glob("rwkv7-g1*-1.5b-*.pth").matcher("rwkv7-g1j-1.5b-20260831-ctx16384.pth.json").matches());
        assertFalse(FileResolver.glob("rwkv7-g1*-1.5b-*.pth").matcher("rwkv7-g1j-13.5b-20260831.pth").matches(), "dots are literal");
        assertTrue(FileResolver.glob("rwkv-?.pth").matcher("rwkv-7.pth").matches());
        assertFalse(FileResolver.glob("rwkv-?.pth").matcher("rwkv-12.pth").matches());
    }

    @Test
    void theNewestIsByTheDateInTheNameThenTheNumberThenTheName() throws Exception {
        var e = entry(1_000_000, "rwkv7-g1*-0.4b-*.pth");
        assertEquals("rwkv7-g1e-0.4b-20260301-ctx8192.pth", FileResolver.choose(e, e.resolve(), files(
                "rwkv7-g1d-0.4b-20260210-ctx8192.pth", "rwkv7-g1e-0.4b-20260301-ctx8192.pth", "rwkv7-g1a-0.4b-20250324-ctx4096.pth")).name());
        assertEquals("rwkv7-g1e-0.4b-20260210-ctx8192.pth", FileResolver.choose(e, e.resolve(), files(
                "rwkv7-g1e-0.4b-20260210-ctx8192.pth", "rwkv7-g1d-0.4b-20260210-ctx8192.pth")).name(), "the same day: the later letter");
        var trainer = entry(1_000_000, "rwkv-final.pth", "rwkv-*.pth");
        assertEquals("rwkv-12.pth", FileResolver.choose(trainer, trainer.resolve(), files("rwkv-9.pth", "rwkv-12.pth", "rwkv-0.pth")).name());
        assertEquals("rwkv-final.pth", FileResolver.choose(trainer, trainer.resolve(), files("rwkv-12.pth", "rwkv-final.pth")).name(),
                "an earlier pattern is preferred");
    }

    @Test
    void aMatchFarFromTheExpectedSizeIsNotTaken() {
        var e = entry(373_000_000, "rwkv-final.pth", "rwkv-*.pth");
        List<Listed> listing = List.of(new Listed("L12/rwkv-final.pth", 1_120_000_000, SHA));

        DownloadException x = assertThrows(DownloadException.class, () -> FileResolver.choose(e, e.resolve(), listing));

        assertEquals(DownloadException.Kind.NOT_FOUND, x.kind());
        assertEquals("in owner/repo, rwkv-final.pth (1.1 GB) matches rwkv-final.pth or rwkv-*.pth but is not the size of Listed e (about 373 MB);"
                + " nothing was downloaded, the catalogue needs an update", x.getMessage());
    }

    @Test
    void aListingIsReadAsHuggingFaceWritesIt() throws Exception {
        List<Listed> l = FileResolver.parse("""
                [{"type": "directory", "oid": "1", "size": 0, "path": "L12-D768-ctx1024"},
                 {"type": "file", "oid": "0123456789abcdef0123456789abcdef01234567", "size": 1519, "path": "README.md"},
                 {"type": "file", "oid": "89ab", "size": 134, "path": "L12-D768-ctx1024/rwkv-final.pth",
                  "lfs": {"oid": "%s", "size": 373245678, "pointerSize": 134}}]""".formatted(SHA.toUpperCase()));

        assertEquals(List.of(new Listed("README.md", 1519, null), new Listed("L12-D768-ctx1024/rwkv-final.pth", 373_245_678, SHA)), l,
                "an LFS file's size and SHA-256 are its lfs record's; a git hash is not taken for a SHA-256");
        assertEquals("rwkv-final.pth", l.get(1).name());
        assertThrows(DownloadException.class, () -> FileResolver.parse("<html>rate limited</html>"));
        assertThrows(DownloadException.class, () -> FileResolver.parse("{\"error\": \"Repository not found\"}"));
    }

    @Test
    void addressesAreTheHubsOwn() {
        URI hub = URI.create("https://huggingface.co");
        var rule = new ModelCatalogue.Resolve("recursal/GoldFinch-paper", "L24-D2048-ctx4096", List.of("*.pth"));
        assertEquals("https://huggingface.co/api/models/recursal/GoldFinch-paper/tree/main/L24-D2048-ctx4096",
                FileResolver.listingAddress(hub, rule).toString());
        assertEquals("https://huggingface.co/api/models/BlinkDL/rwkv7-g1/tree/main",
                FileResolver.listingAddress(URI.create("https://huggingface.co/"), new ModelCatalogue.Resolve("BlinkDL/rwkv7-g1", "", List.of("*"))).toString());
        assertEquals("https://huggingface.co/recursal/GoldFinch-paper/resolve/main/L24-D2048-ctx4096/rwkv%20final.pth",
                FileResolver.fileAddress(hub, "recursal/GoldFinch-paper", "L24-D2048-ctx4096/rwkv final.pth").toString());
    }
}
