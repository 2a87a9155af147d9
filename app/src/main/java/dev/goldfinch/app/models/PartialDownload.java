package dev.goldfinch.app.models;

import dev.goldfinch.app.models.DownloadException.Kind;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A download in progress: the bytes so far in {@code FILE.part} beside the target, and in {@code FILE.part.meta}
 * what they are a part of: the address, the total size, the server's ETag (for If-Range) and its record of the file
 * ({@link ServerRecord}), so that only the same file is resumed, also after a crash, and a download resumed later is
 * checked against what the server said when it began.
 *
 * @param total the size the server announced, or -1
 * @param etag  a strong ETag, or null
 */
record PartialDownload(String url, long total, String etag, ServerRecord record) {

    /** The file a download writes until it is complete and verified. */
    static Path partFile(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /** What a {@code .part} is a part of. */
    static Path metaFile(Path target) {
        return target.resolveSibling(target.getFileName() + ".part.meta");
    }

    /** The record in a {@code .part.meta}, or null when there is none or it cannot be read (then the part is not trusted). */
    static PartialDownload read(Path meta) {
        if (!Files.isRegularFile(meta)) return null;
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(meta)) {
            p.load(r);
            String url = p.getProperty("url");
            if (url == null) return null;
            String sha = p.getProperty("record.sha256");
            return new PartialDownload(url, Long.parseLong(p.getProperty("total", "-1")), p.getProperty("etag"),
                    new ServerRecord(sha != null && sha.matches("[0-9a-f]{64}") ? sha : null, Long.parseLong(p.getProperty("record.bytes", "0"))));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void write(Path meta) throws DownloadException {
        Properties p = new Properties();
        p.setProperty("url", url);
        p.setProperty("total", Long.toString(total));
        if (etag != null) p.setProperty("etag", etag);
        if (record.sha256() != null) p.setProperty("record.sha256", record.sha256());
        if (record.bytes() > 0) p.setProperty("record.bytes", Long.toString(record.bytes()));
        try (Writer w = Files.newBufferedWriter(meta)) {
            p.store(w, "GoldFinch Reader: what the .part beside this file is a part of");
        } catch (IOException e) {
            throw new DownloadException(Kind.LOCAL_IO, "cannot write " + meta + ": " + DownloadException.reason(e), e);
        }
    }
}
