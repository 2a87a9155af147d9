package dev.goldfinch.engine.answer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.Fixtures;
import dev.goldfinch.engine.reading.DocumentTokens;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The document as each layout reads it, and its tokens' way back to the original text's offsets (and so pages). */
class DocumentTurnTest {
    static WorldTokenizer tokenizer;

    @TempDir
    Path dir;

    /** Three pages, as ingest joins them: blank lines (some CRLF) between paragraphs and pages. */
    static final String PAGE1 = "Field notes\r\n\r\nThe goldfinch eats thistle seeds. It feeds in flocks.\r\n\r\n\r\n";
    static final String PAGE2 = "In winter they visit feeders.\n\n\n\nThey like nyjer seed best.\n\n";
    static final String PAGE3 = "Nests are built late in summer. The female builds the cup alone.\n\n\n";
    static final String TEXT = PAGE1 + PAGE2 + PAGE3;

    @BeforeAll
    static void load() {
        tokenizer = WorldTokenizer.load(Fixtures.vocabulary());
    }

    @Test
    void plainAndChatReadTheStoredTokensAsTheyAre() {
        int[] stored = tokenizer.encode(TEXT);
        for (PromptLayout l : List.of(PromptLayout.PLAIN, PromptLayout.CHAT)) {
            DocumentTurn t = DocumentTurn.of(l, TEXT, stored, tokenizer);
            assertArrayEquals(stored, t.tokens());
            assertArrayEquals(new SourceFinder(tokenizer).tokenCharStarts(TEXT, stored), t.textStarts());
            assertSame(DocumentTokens.STORED, DocumentTurn.reading(l, tokenizer), "existing caches keep their meaning");
        }
    }

    @Test
    void g1ReadsTheCleanedTextInASystemTurnAndTheReaderFeedsTheSameTokens() {
        DocumentTurn t = DocumentTurn.of(PromptLayout.G1, TEXT, tokenizer.encode(TEXT), tokenizer);
        String read = tokenizer.decode(t.tokens());
        assertEquals("System: The user asks questions about the following document.\n" + CleanedText.clean(TEXT) + "\n\n", read);
        assertTrue(read.startsWith("System: ") && read.indexOf("\n\n") == read.length() - 2, "one turn: its only blank line ends it");
        try (DocumentStore store = DocumentStore.open(dir.resolve("s.sqlite"))) {
            long id = store.documents().put("h", "notes", TEXT, tokenizer.encode(TEXT), null);
            assertArrayEquals(t.tokens(), DocumentTurn.reading(PromptLayout.G1, tokenizer).of(store, id));
        }
    }

    @Test
    void g1TokenStartsPointIntoTheOriginalText() {
        DocumentTurn t = DocumentTurn.of(PromptLayout.G1, TEXT, tokenizer.encode(TEXT), tokenizer);
        int[] tokens = t.tokens(), starts = t.textStarts();
        int opening = tokenizer.encode("System: The user asks questions about the following document.\n").length;
        int documentTokens = 0, previous = -1;
        for (int p = 0; p < tokens.length; p++) {
            if (p < opening || p >= tokens.length - 1) {
                assertEquals(-1, starts[p], "the turn's own words have no place in the document: position " + p);
                continue;
            }
            documentTokens++;
            assertTrue(starts[p] > previous, "in order");
            previous = starts[p];
            String piece = new String(tokenizer.tokenBytes(tokens[p]), StandardCharsets.UTF_8);
            if (piece.contains("\n")) assertTrue(TEXT.startsWith("\n", starts[p]) || TEXT.startsWith("\r\n", starts[p]), "a line break: " + p);
            else assertTrue(TEXT.startsWith(piece, starts[p]), "'" + piece + "' at " + starts[p]);
        }
        assertEquals(tokenizer.encode(CleanedText.clean(TEXT)).length, documentTokens);
    }

    /** The sentence the answer's attention peaks on is found at its place in the original text, on its page. */
    @Test
    void g1SourcesMapToTheRightPagesDespiteTheCollapsedLines() {
        DocumentTurn t = DocumentTurn.of(PromptLayout.G1, TEXT, tokenizer.encode(TEXT), tokenizer);
        int[] tokens = t.tokens(), starts = t.textStarts();
        String sentence = "Nests are built late in summer.";
        int target = TEXT.indexOf("summer");
        float[] mass = new float[tokens.length + 4]; // the question's positions come after the document: ignored
        int peak = -1;
        for (int p = 0; p < tokens.length; p++) {
            mass[p] = 0.001f;
            if (starts[p] >= 0 && starts[p] <= target) peak = p;
        }
        mass[peak] = 5f;
        mass[0] = 50f; // the System line's own words are no source
        mass[tokens.length + 1] = 100f;
        List<SourceSpan> spans = new SourceFinder(tokenizer).findFromStarts(TEXT, starts, mass, 1);
        assertEquals(1, spans.size());
        assertEquals(sentence, spans.getFirst().text());
        assertEquals(TEXT.indexOf(sentence), spans.getFirst().start());
        int page3 = PAGE1.length() + PAGE2.length();
        assertTrue(spans.getFirst().start() >= page3 && spans.getFirst().end() <= TEXT.length(), "on page 3: " + spans.getFirst());
        // In the cleaned text the same sentence starts before page 3 by the page map: offsets must be mapped back.
        assertTrue(CleanedText.clean(TEXT).indexOf(sentence) < page3, "the cleaning moves text: offsets must be mapped back");
    }
}
