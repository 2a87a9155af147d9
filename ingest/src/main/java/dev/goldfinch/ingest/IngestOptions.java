package dev.goldfinch.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits and inputs for reading one document. Start from {@link #defaults()} and change what you need:
 * {@code IngestOptions.defaults().withMaxFileBytes(50L << 20).withPassword("secret")}.
 *
 * @param maxFileBytes     files larger than this are refused ({@link IngestException.Reason#TOO_LARGE})
 * @param timeLimit        wall-clock time allowed for one file ({@link IngestException.Reason#TIMEOUT})
 * @param maxExpandedBytes a zip-based file (docx, epub, zip...) may expand to at most this many bytes
 *                         ({@link IngestException.Reason#ARCHIVE_BOMB})
 * @param maxArchiveDepth  archives nested deeper than this are refused ({@link IngestException.Reason#ARCHIVE_BOMB})
 * @param maxTextChars     a document whose text runs longer than this is refused
 *                         ({@link IngestException.Reason#TOO_LARGE})
 * @param passwords        asked for a password only when a document turns out to be encrypted; may return null
 * @param ocr              OCR the scanned pages (an image, no text layer) of a PDF with tesseract, if it is
 *                         installed; its text goes into the page map like any other page's. Off: such pages stay
 *                         empty, and a PDF made only of them fails with
 *                         {@link IngestException.Reason#NO_TEXT_LAYER}. OCR runs within {@code timeLimit}, at
 *                         about a second or two per page
 */
public record IngestOptions(long maxFileBytes, Duration timeLimit, long maxExpandedBytes, int maxArchiveDepth,
                            long maxTextChars, PasswordSupplier passwords, boolean ocr) {

    /** Supplies the password of an encrypted document, or null if there is none to try. */
    @FunctionalInterface
    public interface PasswordSupplier {
        String passwordFor(Path file);
    }

    public static final long DEFAULT_MAX_FILE_BYTES = 512L << 20;
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofMinutes(3);
    public static final long DEFAULT_MAX_EXPANDED_BYTES = 512L << 20;
    public static final int DEFAULT_MAX_ARCHIVE_DEPTH = 4;
    public static final long DEFAULT_MAX_TEXT_CHARS = 20_000_000L;

    public IngestOptions {
        if (maxFileBytes <= 0 || maxExpandedBytes <= 0 || maxTextChars <= 0 || maxArchiveDepth < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        Objects.requireNonNull(timeLimit, "timeLimit");
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("time limit must be positive");
        }
        if (passwords == null) {
            passwords = file -> null;
        }
    }

    public static IngestOptions defaults() {
        return new IngestOptions(DEFAULT_MAX_FILE_BYTES, DEFAULT_TIME_LIMIT, DEFAULT_MAX_EXPANDED_BYTES,
                DEFAULT_MAX_ARCHIVE_DEPTH, DEFAULT_MAX_TEXT_CHARS, null, false);
    }

    public IngestOptions withMaxFileBytes(long bytes) {
        return new IngestOptions(bytes, timeLimit, maxExpandedBytes, maxArchiveDepth, maxTextChars, passwords, ocr);
    }

    public IngestOptions withTimeLimit(Duration limit) {
        return new IngestOptions(maxFileBytes, limit, maxExpandedBytes, maxArchiveDepth, maxTextChars, passwords, ocr);
    }

    public IngestOptions withMaxExpandedBytes(long bytes) {
        return new IngestOptions(maxFileBytes, timeLimit, bytes, maxArchiveDepth, maxTextChars, passwords, ocr);
    }

    public IngestOptions withMaxArchiveDepth(int depth) {
        return new IngestOptions(maxFileBytes, timeLimit, maxExpandedBytes, depth, maxTextChars, passwords, ocr);
    }

    public IngestOptions withMaxTextChars(long chars) {
        return new IngestOptions(maxFileBytes, timeLimit, maxExpandedBytes, maxArchiveDepth, chars, passwords, ocr);
    }

    public IngestOptions withPasswords(PasswordSupplier supplier) {
        return new IngestOptions(maxFileBytes, timeLimit, maxExpandedBytes, maxArchiveDepth, maxTextChars, supplier,
                ocr);
    }

    /** The same password for every encrypted document. */
    public IngestOptions withPassword(String password) {
        return withPasswords(file -> password);
    }

    public IngestOptions withOcr(boolean enabled) {
        return new IngestOptions(maxFileBytes, timeLimit, maxExpandedBytes, maxArchiveDepth, maxTextChars, passwords,
                enabled);
    }
}
