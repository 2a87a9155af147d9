package dev.goldfinch.app.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a .part is a part of, kept in its .meta beside it, without a network. */
class PartialDownloadTest {
    static final String SHA = "ab".repeat(32);

    @TempDir
    Path dir;

    @Test
    void theFilesSitBesideTheTarget() {
        Path target = dir.resolve("model.pth");
        assertEquals(dir.resolve("model.pth.part"), PartialDownload.partFile(target));
        assertEquals(dir.resolve("model.pth.part.meta"), PartialDownload.metaFile(target));
    }

    @Test
    void whatIsWrittenIsReadBackWithTheServersRecord() throws Exception {
        Path meta = dir.resolve("model.pth.part.meta");
        var written = new PartialDownload("https://example.org/m.pth", 3_000_000, "\"v1\"", new ServerRecord(SHA, 3_000_000));
        written.write(meta);
        assertEquals(written, PartialDownload.read(meta));

        var bare = new PartialDownload("https://example.org/m.pth", -1, null, ServerRecord.NONE);
        bare.write(meta);
        assertEquals(bare, PartialDownload.read(meta), "no ETag, no record, the size unknown");
    }

    @Test
    void aMetaThatCannotBeTrustedIsNone() throws Exception {
        Path meta = dir.resolve("model.pth.part.meta");
        assertNull(PartialDownload.read(meta), "missing");
        Files.writeString(meta, "total=12\n");
        assertNull(PartialDownload.read(meta), "no address");
        Files.writeString(meta, "url=https\\://example.org/m.pth\ntotal=twelve\n");
        assertNull(PartialDownload.read(meta), "a size that is not a number");
        Files.writeString(meta, "url=https\\://example.org/m.pth\ntotal=12\nrecord.sha256=not-a-hash\n");
        assertEquals(new PartialDownload("https://example.org/m.pth", 12, null, ServerRecord.NONE), PartialDownload.read(meta),
                "a record's SHA-256 that is not one is left out");
    }
}
