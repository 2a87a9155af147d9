package dev.goldfinch.app.models;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

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

    // what the one-line messages say of a cause, a server and a wait

    /** The first line of a failure's message, or its class's name when it has none. */
    static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    static String hostOf(URI uri) {
        return uri.getHost() != null ? uri.getHost() : uri.toString();
    }

    /** "20 s", "0.7 s". */
    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
