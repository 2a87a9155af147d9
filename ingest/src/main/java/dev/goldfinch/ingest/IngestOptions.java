package dev.goldfinch.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

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
 * @param passwords        asked for a password only when a document turns out to be encrypted; may return null;
 *                         asked again after a wrong one if it can ask a person ({@link PasswordSupplier#passwordAfterWrong})
 * @param ocr              OCR the scanned pages (an image, no text layer) of a PDF with tesseract, if it is
 *                         installed; its text goes into the page map like any other page's. Off: such pages stay
 *                         empty, and a PDF made only of them fails with
 *                         {@link IngestException.Reason#NO_TEXT_LAYER}. OCR runs within {@code timeLimit}, at
 *                         about a second or two per page
 * @param ocrPages         told how far OCR is, page by page (on the reading thread)
 * @param cancelled        polled while the document is read (between pages, while tesseract runs): once true, reading
 *                         stops, tesseract is killed and the file fails with {@link IngestException.Reason#CANCELLED}
 */
public record IngestOptions(long maxFileBytes, Duration timeLimit, long maxExpandedBytes, int maxArchiveDepth,
                            long maxTextChars, PasswordSupplier passwords, boolean ocr, OcrProgress ocrPages,
                            BooleanSupplier cancelled) {

    /** Supplies the password of an encrypted document, or null if there is none to try. */
    @FunctionalInterface
    public interface PasswordSupplier {
        String passwordFor(Path file);

        /**
         * The password to try after {@code wrong} wrong ones (1, 2, ...), or null to give up. Only a supplier that
         * can ask again (a person at a dialog or a terminal) overrides it; a fixed password is tried once.
         */
        default String passwordAfterWrong(Path file, int wrong) {
            return null;
        }
    }

    /** How far OCR is: {@code done} of the document's {@code total} scanned pages have been read. */
    @FunctionalInterface
    public interface OcrProgress {
        void pages(int done, int total);
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
        if (ocrPages == null) {
            ocrPages = (done, total) -> { };
        }
        if (cancelled == null) {
            cancelled = () -> false;
        }
    }

    public static IngestOptions defaults() {
        return new IngestOptions(DEFAULT_MAX_FILE_BYTES, DEFAULT_TIME_LIMIT, DEFAULT_MAX_EXPANDED_BYTES,
                DEFAULT_MAX_ARCHIVE_DEPTH, DEFAULT_MAX_TEXT_CHARS, null, false, null, null);
    }

    public IngestOptions withMaxFileBytes(long bytes) {
        return new IngestOptions(bytes, timeLimit, maxExpandedBytes, maxArchiveDepth, maxTextChars, passwords, ocr,
                ocrPages, cancelled);
    }

    public IngestOptions withTimeLimit(Duration limit) {
        return new IngestOptions(maxFileBytes, limit, maxExpandedBytes, maxArchiveDepth, maxTextChars, passwords, ocr,
                ocrPages, cancelled);
    }

    public IngestOptions withMaxExpandedBytes(long bytes) {
        return new IngestOptions(maxFileBytes, timeLimit, bytes, maxArchiveDepth, maxTextChars, passwords, ocr,
                ocrPages, cancelled);
    }

    public IngestOptions withMaxArchiveDepth(int depth) {
        return new IngestOptions(maxFileBytes, timeLimit, maxExpandedBytes, depth, maxTextChars, passwords, ocr,
                ocrPages, cancelled);
    }

    public IngestOptions withMaxTextChars(long chars) {
        return new IngestOptions(maxFileBytes, timeLimit, maxExpandedBytes, maxArchiveDepth, chars, passwords, ocr,
                ocrPages, cancelled);
    }

    public IngestOptions withPasswords(PasswordSupplier supplier) {
        return new IngestOptions(maxFileBytes, timeLimit, maxExpandedBytes, maxArchiveDepth, maxTextChars, supplier,
                ocr, ocrPages, cancelled);
    }

    /** The same password for every encrypted document. */
    public IngestOptions withPassword(String password) {
        return withPasswords(file -> password);
    }

    public IngestOptions withOcr(boolean enabled) {
        return new IngestOptions(maxFileBytes, timeLimit, maxExpandedBytes, maxArchiveDepth, maxTextChars, passwords,
                enabled, ocrPages, cancelled);
    }

    public IngestOptions withOcrProgress(OcrProgress progress) {
        return new IngestOptions(maxFileBytes, timeLimit, maxExpandedBytes, maxArchiveDepth, maxTextChars, passwords,
                ocr, progress, cancelled);
    }

    public IngestOptions withCancel(BooleanSupplier stop) {
        return new IngestOptions(maxFileBytes, timeLimit, maxExpandedBytes, maxArchiveDepth, maxTextChars, passwords,
                ocr, ocrPages, stop);
    }
}
