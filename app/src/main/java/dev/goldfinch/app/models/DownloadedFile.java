package dev.goldfinch.app.models;

import java.nio.file.Path;

/**
 * A file in place: its size, its SHA-256 (hex), whether it was there already (nothing downloaded), and whose
 * SHA-256 it was checked against ("the catalogue", "the server's record (X-Linked-Etag)"), or null: unverified.
 */
public record DownloadedFile(Path file, long bytes, String sha256, boolean alreadyPresent, String verifiedBy) {
    public boolean verified() {
        return verifiedBy != null;
    }
}
