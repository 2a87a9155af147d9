package dev.goldfinch.engine.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The thinking of an Assistant turn split from its answer, on streamed text. */
class ThinkingSplitterTest {
    /** What the listeners got, in order, each piece tagged T (thinking) or A (answer). */
    record Split(String thinking, String answer, List<String> pieces) {
    }

    static Split run(String opening, int chunk, String generated) {
        List<String> pieces = new ArrayList<>();
        ThinkingSplitter s = new ThinkingSplitter(opening, t -> pieces.add("T" + t), a -> pieces.add("A" + a));
        for (int i = 0; i < generated.length(); i += chunk) s.push(generated.substring(i, Math.min(generated.length(), i + chunk)));
        s.finish();
        StringBuilder t = new StringBuilder(), a = new StringBuilder();
        for (String p : pieces) (p.charAt(0) == 'T' ? t : a).append(p.substring(1));
        assertEquals(s.thinking(), t.toString(), "the streamed thinking is the thinking");
        assertEquals(s.answer(), a.toString(), "the streamed answer is the answer");
        return new Split(s.thinking(), s.answer(), pieces);
    }

    @Test
    void aThoughtThenAnAnswerInAnyChunkingAfterTheThinkOpening() {
        String generated = ">\nThe notes say thistle.\nSo: thistle seeds.\n</think>\nThistle seeds, mostly.";
        for (int chunk : new int[] {1, 2, 3, 7, 1000}) {
            Split s = run(" <think", chunk, generated);
            assertEquals("The notes say thistle.\nSo: thistle seeds.\n", s.thinking(), "chunk " + chunk);
            assertEquals("Thistle seeds, mostly.", s.answer(), "chunk " + chunk);
            int lastThought = -1, firstAnswer = Integer.MAX_VALUE;
            for (int i = 0; i < s.pieces().size(); i++) {
                if (s.pieces().get(i).startsWith("T")) lastThought = i;
                else firstAnswer = Math.min(firstAnswer, i);
            }
            assertTrue(lastThought < firstAnswer, "every thought comes before the answer");
            assertFalse(s.answer().contains("<") || s.thinking().contains("<"), "no tag reaches either side");
        }
    }

    @Test
    void tagsTheModelWritesWithoutAnOpeningAreJustText() {
        // A model asked without a think opening may still write the tags itself: then they are just text.
        Split s = run("", 4, "<think>x</think>y");
        assertEquals("", s.thinking());
        assertEquals("<think>x</think>y", s.answer());
    }

    @Test
    void theFakeThinkGoesStraightToTheAnswer() {
        Split s = run(" <think></think", 1, ">\nThistle.");
        assertEquals("", s.thinking());
        assertEquals("Thistle.", s.answer());
        Split noBracket = run(" <think></think", 3, " Thistle.");
        assertEquals("Thistle.", noBracket.answer(), "a model that does not close the tag still answers");
    }

    @Test
    void aPartialClosingTagIsHeldBackUntilTheNextPieceTells() {
        List<String> seen = new ArrayList<>();
        ThinkingSplitter s = new ThinkingSplitter(" <think", t -> seen.add("T" + t), a -> seen.add("A" + a));
        s.push(">a </thi");
        assertEquals(List.of("Ta "), seen, "'</thi' could still close the thought");
        s.push("ng");
        assertEquals(List.of("Ta ", "T</thing"), seen, "it did not");
        s.push("</think>b");
        assertEquals("a </thing", s.thinking());
        assertEquals("b", s.answer());
        assertTrue(s.answering());
    }

    @Test
    void aThoughtThatNeverEndsIsAllThinking() {
        Split s = run(" <think", 5, ">\nstill thinking when the length limit came </thi");
        assertEquals("still thinking when the length limit came </thi", s.thinking());
        assertEquals("", s.answer());
    }

    @Test
    void withoutAnOpeningEverythingIsAnswerUnchanged() {
        Split s = run("", 2, " The answer, with its leading space.\n");
        assertEquals(" The answer, with its leading space.\n", s.answer());
        assertEquals("", s.thinking());
        assertFalse(new ThinkingSplitter("", t -> { }, a -> { }).answering(), "answering() tells of a closed thought only");
    }
}
