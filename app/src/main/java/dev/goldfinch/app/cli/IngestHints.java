package dev.goldfinch.app.cli;

import dev.goldfinch.ingest.IngestException;
import dev.goldfinch.ingest.pdf.Tesseract;

/**
 * What a person can do about a document that could not be read, in the options of the command line ({@code ingest}
 * and {@code ask} share them): "; try --ocr" for a scan when tesseract is installed, "; give it with --password".
 */
final class IngestHints {
    private IngestHints() {
    }

    /** The hint for {@code e}, "" when these options cannot help; {@code ocrGiven}: --ocr was on the command line. */
    static String hint(IngestException e, boolean ocrGiven) {
        return switch (e.reason()) {
            case ENCRYPTED -> "; give it with --password";
            case WRONG_PASSWORD -> "; give the right one with --password";
            case NO_TEXT_LAYER -> !ocrGiven && Tesseract.available() ? "; try --ocr" : "";
            default -> "";
        };
    }

    /** {@code e} with {@code hint} at the end of its one line (the same reason, file and cause). */
    static IngestException withHint(IngestException e, String hint) {
        return hint.isEmpty() ? e : new IngestException(e.reason(), e.file(), e.getMessage() + hint, e);
    }
}
