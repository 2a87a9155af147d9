package dev.goldfinch.app.models;

import java.net.URI;

/**
 * The file a catalogue entry downloads this time, decided by {@link FileResolver}: its name and address, and what is
 * known of it ahead of the download.
 *
 * @param exactBytes its size where the catalogue or the listing gives it, else 0 (the server's record may still)
 * @param sha256     its SHA-256 where the catalogue or the listing gives it, else null (the server's record may still)
 * @param source     who gave {@code exactBytes} and {@code sha256}: "the catalogue", "the listing of owner/repo"
 * @param found      one line for the person downloading: what the listing showed, or why the catalogue's file is
 *                   used; empty when the entry has no rule and the catalogue's file is simply taken
 */
public record ResolvedFile(ModelCatalogue.Entry entry, String file, URI url, long exactBytes, String sha256,
                           String source, String found) {

    /** The size to plan disk space with: the exact one where known, else the catalogue's expectation. */
    public long expectedBytes() {
        return exactBytes > 0 ? exactBytes : entry.expectedBytes();
    }
}
