package dev.goldfinch.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.ui.view.ErrorDialog;
import org.junit.jupiter.api.Test;

/** An Error reaches the person as the same one line in the window's error dialog as on the command line. */
class FailureMessageTest {
    @Test
    void errorsAreOneLineInWordsInTheWindowToo() {
        String oom = ErrorDialog.message(new OutOfMemoryError("Java heap space"));
        assertTrue(oom.startsWith("out of memory (Java heap space; this program may use "), oom);
        assertEquals(1, oom.lines().count());
        assertEquals("stack overflow (something nested too deeply)", ErrorDialog.message(new StackOverflowError()));
        assertEquals(FailureMessage.of(new OutOfMemoryError("Java heap space")), oom);
        assertEquals("the disk is full", ErrorDialog.message(new dev.goldfinch.engine.EngineException("the disk is full")));
    }
}
