package dev.goldfinch.engine.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The G1 authors' cleaning of a turn's text, and the way back to the original offsets. */
class CleanedTextTest {
    @Test
    void crlfBecomesLfRunsOfNewlinesBecomeOneAndTheEndsAreStripped() {
        assertEquals("a\nb", CleanedText.clean("a\r\nb"));
        assertEquals("a\nb\nc", CleanedText.clean("a\n\nb\r\n\r\n\r\nc"));
        assertEquals("a\nb", CleanedText.clean("a\n\n\n\n\nb"));
        assertEquals("a\n b", CleanedText.clean("a\n\n b"), "only newlines collapse");
        assertEquals("a \n \n b", CleanedText.clean("a \n \n b"), "a line of spaces is no run of newlines");
        assertEquals("x", CleanedText.clean("  \r\n\r\n x \n\n "));
        assertEquals("a\rb", CleanedText.clean("a\rb"), "a lone CR is left");
        assertEquals("", CleanedText.clean("\n\n \r\n"));
        assertEquals("no change", CleanedText.clean("no change"));
    }

    @Test
    void everyCleanedCharacterKnowsWhereItCameFrom() {
        String original = "  Title\r\n\r\n\nFirst line.\n\n\nSecond line.  ";
        CleanedText c = CleanedText.of(original);
        assertEquals("Title\nFirst line.\nSecond line.", c.text());
        for (int i = 0; i < c.text().length(); i++) {
            char ch = c.text().charAt(i);
            int o = c.originOf(i);
            if (ch == '\n') assertEquals(true, original.charAt(o) == '\n' || original.startsWith("\r\n", o), "a run of breaks starts at " + o);
            else assertEquals(ch, original.charAt(o), "character " + i);
        }
        assertEquals(original.indexOf("First"), c.originOf(c.text().indexOf("First")));
        assertEquals(original.indexOf("Second"), c.originOf(c.text().indexOf("Second")));
        assertEquals(original.indexOf("line.  ") + "line.".length(), c.originOf(c.text().length()), "the end maps just past the last kept character");
    }
}
