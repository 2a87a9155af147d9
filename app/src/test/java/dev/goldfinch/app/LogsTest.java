package dev.goldfinch.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The libraries' log records reach the log file, not the terminal; this program's reach both. */
class LogsTest {
    @TempDir
    Path dir;

    @Test
    void aLibrarysWarningGoesToTheFileOnly() throws Exception {
        Logs.configure(dir);
        Logger pdfbox = Logger.getLogger("org.apache.pdfbox.pdmodel.font.FileSystemFontProvider");
        pdfbox.warning("Using fallback font LiberationSans for base font Symbol");
        Logger.getLogger("dev.goldfinch.app").warning("the program's own warning");
        for (Handler h : Logger.getLogger("").getHandlers()) h.flush();
        String log = Files.readString(dir.resolve(Logs.FILE));
        assertTrue(log.contains("Using fallback font LiberationSans"), log);
        assertTrue(log.contains("the program's own warning"), log);
        boolean console = false;
        for (Handler h : Logger.getLogger("").getHandlers()) {
            if (!(h instanceof ConsoleHandler)) continue;
            console = true;
            LogRecord library = new LogRecord(Level.WARNING, "Using fallback font");
            library.setLoggerName(pdfbox.getName());
            LogRecord own = new LogRecord(Level.WARNING, "ours");
            own.setLoggerName("dev.goldfinch.app.ui.ReaderWindow");
            assertFalse(h.isLoggable(library), "PDFBox's note does not reach the terminal");
            assertTrue(h.isLoggable(own), "the program's own warning does");
            LogRecord info = new LogRecord(Level.INFO, "added notes.pdf as document 1");
            info.setLoggerName("dev.goldfinch.app.library.Library");
            assertFalse(h.isLoggable(info), "what the program did is for the log");
        }
        assertTrue(console, "the JVM's console handler is there to filter");
    }
}
