package dev.goldfinch.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Where log records go. Everything, the libraries' included (PDFBox's notes on fonts it replaces, Tika's and POI's on
 * lenient parsing), goes to {@value #FILE} in the config folder; the person's terminal gets this program's own warnings
 * and errors only: what the libraries say about a document, and what the program did, are for the log, not for
 * someone asking a question.
 */
public final class Logs {
    public static final String FILE = "goldfinch.log";
    private static final String OWN = "dev.goldfinch";
    private static FileHandler file;
    private static Path fileDir;

    private Logs() {
    }

    /** The terminal's share: this program's warnings and errors (what it did, "added … as document 1", is for the log). */
    static boolean forTerminal(LogRecord r) {
        String name = r.getLoggerName();
        return r.getLevel().intValue() >= Level.WARNING.intValue() && name != null && (name.equals(OWN) || name.startsWith(OWN + "."));
    }

    /** --debug: every record on the terminal too, the libraries' included. */
    public static synchronized void showEverythingOnTerminal() {
        for (Handler h : Logger.getLogger("").getHandlers()) {
            if (h instanceof ConsoleHandler) h.setFilter(null);
        }
    }

    /**
     * Sends every record to {@code configDir}/{@value #FILE} (at most 5 MB) and only this program's to the
     * console. Again with another folder (the app's {@code --config}), the log moves there.
     */
    public static synchronized void configure(Path configDir) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler) h.setFilter(Logs::forTerminal);
        }
        Path dir = configDir.toAbsolutePath().normalize();
        if (dir.equals(fileDir)) return;
        try {
            Files.createDirectories(dir);
            // one file (more than one would be named goldfinch.log.0, .1…), begun again once it holds 5 MB
            FileHandler h = new FileHandler(dir.resolve(FILE).toString().replace("%", "%%"), 5_000_000, 1, true);
            h.setFormatter(new SimpleFormatter());
            h.setLevel(Level.INFO);
            if (file != null) {
                root.removeHandler(file);
                file.close();
            }
            root.addHandler(h);
            file = h;
            fileDir = dir;
        } catch (IOException | RuntimeException e) {
            Logger.getLogger(OWN).log(Level.WARNING, "cannot write the log file in " + dir + ": " + e.getMessage());
        }
    }
}
