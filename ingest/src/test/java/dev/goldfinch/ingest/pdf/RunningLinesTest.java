package dev.goldfinch.ingest.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Running headers and footers: what a line is matched by. */
class RunningLinesTest {
    @Test
    void runningKeys() {
        assertEquals(RunningLines.key("Page 3 of 10"), RunningLines.key("Page 12 of 10"));
        assertEquals("#", RunningLines.key("xiv"));
        assertFalse(RunningLines.key("This body line mentions 3 apples and 4 pears")
                .equals(RunningLines.key("This body line mentions 5 apples and 6 pears")));
    }
}
