package dev.goldfinch.app.models;

import static dev.goldfinch.app.models.DownloadException.hostOf;
import static dev.goldfinch.app.models.DownloadProgress.bytes;

import dev.goldfinch.app.models.DownloadException.Kind;
import java.net.URI;

/**
 * What a download's bytes must be, and who says so (for the messages): the SHA-256 and size the request gives (the
 * catalogue's, a listing's), else those of the server's record ({@link ServerRecord}). Where both give one they must
 * agree, else nothing is downloaded; the whole file is then checked against them before it takes its final name.
 *
 * @param sha256   lower-case hex, or null: nobody gave one (the file is kept, unverified)
 * @param size     the exact size in bytes, or 0
 */
record ExpectedFile(String sha256, String shaFrom, long size, String sizeFrom) {

    /** The request's expectations beside the server's record; a record that contradicts the request is refused. */
    static ExpectedFile of(FileRequest req, ServerRecord record) throws DownloadException {
        String name = req.fileName();
        String host = hostOf(req.url());
        if (record.sha256() != null && req.sha256() != null && !record.sha256().equals(req.sha256())) {
            throw new DownloadException(Kind.MISMATCH, "the SHA-256 of " + name + " in " + req.source() + " (" + req.sha256()
                    + ") is not the one " + host + " records (" + record.sha256() + "): the file on the server is not the one expected; nothing was downloaded");
        }
        if (record.bytes() > 0 && req.exactBytes() > 0 && record.bytes() != req.exactBytes()) {
            throw new DownloadException(Kind.MISMATCH, name + " has " + req.exactBytes() + " bytes in " + req.source() + " but " + record.bytes()
                    + " in " + host + "'s record: the file on the server is not the one expected; nothing was downloaded");
        }
        return new ExpectedFile(
                req.sha256() != null ? req.sha256() : record.sha256(),
                req.sha256() != null ? req.source() : record.sha256() != null ? host + "'s record (X-Linked-Etag)" : null,
                req.exactBytes() > 0 ? req.exactBytes() : record.bytes(),
                req.exactBytes() > 0 ? req.source() : record.bytes() > 0 ? host + "'s record (X-Linked-Size)" : null);
    }

    /**
     * Refuses an answer that announces ({@code total} > 0) another size than the expected one, or one far from the
     * request's rough size: a sign-in page is not taken for the file.
     */
    void checkAnnounced(long total, FileRequest req, URI answeredBy) throws DownloadException {
        if (total > 0 && size > 0 && total != size) {
            throw new DownloadException(Kind.MISMATCH, hostOf(answeredBy) + " announces " + total + " bytes for " + req.fileName() + " where "
                    + sizeFrom + " says " + size + "; refused, nothing more was downloaded");
        }
        long hint = req.sizeHint();
        if (total > 0 && hint > 0 && (total < hint / 2 || total > hint * 2)) {
            throw new DownloadException(Kind.HTTP_STATUS, hostOf(answeredBy) + " sent " + bytes(total) + " for " + req.fileName()
                    + " where about " + bytes(hint) + " were expected (a network's sign-in page?); nothing was saved");
        }
    }

    /**
     * Checks a whole download: {@code have} bytes against the {@code announced} size (> 0 when the server gave one) and
     * the expected one, {@code got} against the expected SHA-256.
     */
    void check(long have, long announced, String got, FileRequest req) throws DownloadException {
        String name = req.fileName();
        String host = hostOf(req.url());
        if (announced > 0 && have != announced) {
            throw new DownloadException(Kind.CORRUPT, name + " from " + host + " has " + have + " bytes where " + announced
                    + " were announced; the damaged download was deleted, download again to start over");
        }
        if (size > 0 && have != size) {
            throw new DownloadException(Kind.CORRUPT, name + " from " + host + " has " + have + " bytes where " + sizeFrom + " says "
                    + size + "; the download was deleted");
        }
        if (sha256 != null && !got.equals(sha256)) {
            throw new DownloadException(Kind.CORRUPT, "checksum mismatch for " + name + " from " + host + ": expected SHA-256 "
                    + sha256 + " (" + shaFrom + "), got " + got + "; the damaged download was deleted");
        }
    }

    /** Whose SHA-256 the file was checked against, or null when nobody gave one. */
    String verifiedBy() {
        return sha256 != null ? shaFrom : null;
    }
}
