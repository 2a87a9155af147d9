package dev.goldfinch.app.recall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict rule: a length is reliable at 90% of its facts recalled; the model up to the longest length that is, with every shorter one. */
class RecallVerdictTest {
    /** A grid of 10 depths with {@code recalled[i]} of its facts recalled at lengths[i] (a fact per depth), or fewer cells where negative. */
    private static RecallGrid grid(List<Integer> lengths, int... recalled) {
        RecallGrid g = RecallGrid.start("m", 0, new RecallPlan(lengths, 10, 1, 1));
        for (int i = 0; i < lengths.size(); i++) {
            int cells = recalled[i] < 0 ? -recalled[i] : 10;
            for (int d = 0; d < cells; d++) {
                int r = recalled[i] >= 0 && d < recalled[i] ? 1 : 0;
                g = g.with(new RecallGrid.Cell(lengths.get(i), d, lengths.get(i), 1, r, "q", "1234", r == 1 ? "1234" : "4321"));
            }
        }
        return g;
    }

    @Test
    void ninetyPercentIsReliable() {
        assertTrue(RecallVerdict.reliable(9, 10));
        assertFalse(RecallVerdict.reliable(8, 10));
        assertTrue(RecallVerdict.reliable(3, 3), "every depth when there are fewer than ten");
        assertFalse(RecallVerdict.reliable(2, 3));
        assertFalse(RecallVerdict.reliable(0, 0), "nothing asked says nothing");
    }

    @Test
    void theModelIsReliableUpToTheLongestLengthThatPassesWithEveryShorterOne() {
        List<Integer> lengths = List.of(1024, 4096, 16384, 65536);
        assertEquals("reliable up to about 16k tokens", RecallVerdict.overall(grid(lengths, 10, 9, 10, 4)));
        assertEquals("reliable up to about 1k tokens", RecallVerdict.overall(grid(lengths, 10, 5, 10, 10)), "a failing length stops it");
        assertEquals("not reliable at 1k tokens, the shortest length checked", RecallVerdict.overall(grid(lengths, 8, 10, 10, 10)));
        assertEquals("reliable up to at least 64k tokens, the longest length checked", RecallVerdict.overall(grid(lengths, 10, 10, 9, 9)));
        assertEquals("reliable up to about 4k tokens; 16k not fully checked", RecallVerdict.overall(grid(lengths, 10, 10, -3, -0)));
        assertEquals("not checked yet", RecallVerdict.overall(RecallGrid.start("m", 0, new RecallPlan(lengths, 10, 1, 1))));
    }

    @Test
    void eachLengthSaysItsCount() {
        RecallGrid g = grid(List.of(256, 512), 9, -4);
        assertEquals("reliable (9 of 10 recalled)", RecallVerdict.of(g, 256));
        assertEquals("not checked (4 of 10 depths so far)", RecallVerdict.of(g, 512));
        assertEquals("unreliable (3 of 10 recalled)", RecallVerdict.of(grid(List.of(256), 3), 256));
    }
}
