package dev.goldfinch.app.library;

import dev.goldfinch.engine.store.StoredDocument;
import dev.goldfinch.ingest.Ingestor;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The file a document was added from, as it is now: still there with the same bytes (its content hash, the one the
 * library keeps, {@link Ingestor#contentHash}), or why it cannot be used, in one line. Hashing reads the whole file:
 * call it off the JavaFX thread.
 *
 * @param path    the file, when it is there unchanged
 * @param problem why it cannot be used ("the file is no longer at …"), or null when it can
 */
public record OriginalFile(Path path, String problem) {

    public boolean usable() {
        return problem == null;
    }

    /** Whether the document was added from a PDF (the only format whose pages are shown as drawn). */
    public static boolean isPdf(DocumentMeta meta) {
        return meta.mediaType() != null && meta.mediaType().split(";")[0].strip().toLowerCase(Locale.ROOT).equals("application/pdf");
    }

    /** Where {@code document} came from ({@code meta} is its metadata), and whether that file still holds it. */
    public static OriginalFile of(StoredDocument document, DocumentMeta meta) {
        String source = meta.source();
        if (source == null || source.isBlank()) return new OriginalFile(null, "the library does not know which file this document came from");
        Path file;
        try {
            file = Path.of(source);
        } catch (InvalidPathException e) {
            return new OriginalFile(null, "the library does not know which file this document came from");
        }
        if (!Files.isRegularFile(file)) return new OriginalFile(null, "the file is no longer at " + file);
        try {
            if (!Ingestor.contentHash(file).equals(document.contentHash())) {
                return new OriginalFile(null, "the file at " + file + " has changed since it was added");
            }
        } catch (RuntimeException e) {
            return new OriginalFile(null, "the file at " + file + " cannot be read");
        }
        return new OriginalFile(file, null);
    }
}
