package dev.goldfinch.ingest;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A document that could not be read, with a one-line message that says which file and why, and a
 * {@link Reason} a caller can act on (ask for a password, offer OCR, raise a limit). The message never contains
 * a stack trace or a newline; the cause, if any, is kept for logs only.
 */
public class IngestException extends RuntimeException {

    /** Why a document could not be read. */
    public enum Reason {
        /** Password-protected and no password was given: ask for one. */
        ENCRYPTED,
        /** Password-protected and the password given is wrong. */
        WRONG_PASSWORD,
        /** Damaged or truncated. */
        CORRUPT,
        /** The extension says one format, the content is another. */
        MISLABELLED,
        /** A PDF with pages but no text layer (scanned): OCR is needed. */
        NO_TEXT_LAYER,
        /** No text at all (a zero-byte file, blank pages, an empty document). */
        EMPTY,
        /** Over the size limit (file size, or the amount of text it expands to). */
        TOO_LARGE,
        /** An archive (or a zip-based document) that expands too much or nests too deep. */
        ARCHIVE_BOMB,
        /** The parser did not finish within the time limit. */
        TIMEOUT,
        /** Not a format GoldFinch reads (an image, a program, an unknown binary). */
        UNSUPPORTED,
        /** The file is missing, is a folder, or may not be read. */
        UNREADABLE,
        /** The caller stopped the reading ({@link IngestOptions#cancelled()}): nothing came of it. */
        CANCELLED
    }

    private final Reason reason;
    private final transient Path file;

    public IngestException(Reason reason, Path file, String message) {
        this(reason, file, message, null);
    }

    public IngestException(Reason reason, Path file, String message, Throwable cause) {
        super(oneLine(message), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.file = file;
    }

    public Reason reason() {
        return reason;
    }

    /** The file that failed, or null if not known. */
    public Path file() {
        return file;
    }

    /** The cause in a few words, for the parentheses of a message: "could not be read (Missing root object)". */
    public static String brief(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        m = oneLine(m);
        return m.length() > 120 ? m.substring(0, 117) + "..." : m;
    }

    static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        String s = message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return s.length() > 300 ? s.substring(0, 297) + "..." : s;
    }
}
