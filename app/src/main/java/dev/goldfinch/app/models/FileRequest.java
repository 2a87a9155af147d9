package dev.goldfinch.app.models;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * One file to fetch: from {@code url} to {@code target}; {@code sha256} (hex) and {@code exactBytes} when known
 * ahead (else null and 0), as {@code source} says them ("the catalogue"); {@code sizeHint} the size expected,
 * approximately, or 0: it is used for the disk-space check when the server does not say, and to refuse an answer
 * that is clearly not the file (a sign-in page).
 */
public record FileRequest(URI url, Path target, String sha256, long sizeHint, long exactBytes, String source) {
    public FileRequest {
        Objects.requireNonNull(url);
        Objects.requireNonNull(target);
        if (sha256 != null) {
            sha256 = sha256.trim().toLowerCase(Locale.ROOT);
            if (!sha256.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
        if (exactBytes > 0 && sizeHint <= 0) sizeHint = exactBytes;
        if (source == null || source.isBlank()) source = "the catalogue";
    }

    /** A file whose size is known only roughly, if at all; its checksum as the catalogue gives it. */
    public FileRequest(URI url, Path target, String sha256, long sizeHint) {
        this(url, target, sha256, sizeHint, 0, "the catalogue");
    }

    public String fileName() {
        return target.getFileName().toString();
    }

    /** The same request for another path of the target (its absolute one, which the download works with). */
    FileRequest withTarget(Path t) {
        return new FileRequest(url, t, sha256, sizeHint, exactBytes, source);
    }
}
