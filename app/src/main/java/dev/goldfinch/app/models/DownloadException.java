package dev.goldfinch.app.models;

import java.io.IOException;

/**
 * Why a download stopped, in one line a person can act on (the message is shown as is: {@code goldfinch: …} on the
 * command line, the text of a dialog in the app). {@link #kind()} tells the app what to offer: "Resume" after
 * {@link Kind#PAUSED} or {@link Kind#INTERRUPTED}, "Try again" after the others.
 */
public final class DownloadException extends IOException {

    public enum Kind {
        /** Cancelled on purpose (pause): the {@code .part} file is kept and the next download resumes from it. */
        PAUSED,
        /** The host could not be reached at all: no network, a name that does not resolve, a refused connection, a timeout. */
        OFFLINE,
        /** The connection broke or stalled mid-way: the {@code .part} file is kept, downloading again resumes. */
        INTERRUPTED,
        /** The server answered with an error status (404, 403, 5xx…). */
        HTTP_STATUS,
        /** The bytes are not the expected ones (SHA-256 or size): the bad file was deleted. */
        CORRUPT,
        /**
         * The server's record of the file (SHA-256, size) disagrees with the catalogue's, or its announced size with its
         * record: the file is not the one expected; nothing was downloaded.
         */
        MISMATCH,
        /** The repository's listing has no file the catalogue entry matches; nothing was downloaded. */
        NOT_FOUND,
        /** Not enough free space where the file goes; nothing was started. */
        DISK_SPACE,
        /** The same file is being downloaded already (another window, command or process); nothing was touched. */
        BUSY,
        /** Reading or writing the local file failed. */
        LOCAL_IO
    }

    private final Kind kind;

    public DownloadException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DownloadException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
