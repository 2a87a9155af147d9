package dev.goldfinch.app.ui.source;

/** A file that cannot be read as a document; the message is one line naming the file and the reason. */
public final class DocumentSourceException extends RuntimeException {
    public DocumentSourceException(String message) {
        super(message);
    }

    public DocumentSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
