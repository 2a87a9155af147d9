package dev.goldfinch.engine.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.Fixtures;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SourceFinderTest {
    static WorldTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = WorldTokenizer.load(Fixtures.vocabulary());
    }

    @Test
    void theSentenceHoldingThePeakIsTheSource() {
        String text = "The contract starts in May. Payment is due within 30 days of the invoice — no later.\n\n"
                + "Either party may end it with notice. Überall gilt deutsches Recht.";
        int[] tokens = tokenizer.encode(text);
        int target = text.indexOf("30 days");
        SourceFinder finder = new SourceFinder(tokenizer);
        int[] starts = finder.tokenCharStarts(text, tokens);
        float[] mass = new float[tokens.length + 5]; // positions past the document (the question) are ignored
        for (int t = 0; t < tokens.length; t++) mass[t] = 0.01f;
        int peak = 0;
        while (peak + 1 < tokens.length && starts[peak + 1] <= target) peak++;
        mass[peak] = 5f;
        mass[tokens.length + 2] = 100f;
        List<SourceSpan> spans = finder.find(text, tokens, mass, 1);
        assertEquals(1, spans.size());
        assertEquals("Payment is due within 30 days of the invoice — no later.", spans.get(0).text());
        assertTrue(spans.get(0).share() > 0.5);
        assertEquals(text.indexOf("Payment"), spans.get(0).start());
    }

    @Test
    void tokenStartsFollowMultiByteCharacters() {
        String text = "aé😀b";
        int[] tokens = tokenizer.encode(text);
        int[] starts = new SourceFinder(tokenizer).tokenCharStarts(text, tokens);
        assertEquals(0, starts[0]);
        assertEquals(text.indexOf('b'), starts[starts.length - 1]);
    }
}
