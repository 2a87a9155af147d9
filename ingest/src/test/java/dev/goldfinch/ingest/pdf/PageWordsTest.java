package dev.goldfinch.ingest.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldfinch.ingest.IngestOptions;
import dev.goldfinch.ingest.IngestedDocument;
import dev.goldfinch.ingest.Ingestor;

/**
 * The places of a passage's words on PDFs written in the test: the boxes found lie where the test drew the text (its
 * baseline and the advance widths of the font), for the passage as the library stores it (joined, de-hyphenated).
 */
class PageWordsTest {
    /** Letter pages are 792 pt high; the tests draw with y up from the bottom, the boxes have y down from the top. */
    private static final float HEIGHT = PDRectangle.LETTER.getHeight();

    @TempDir
    Path dir;

    private static List<PageWords.Box> boxes(Path pdf, int page, String passage) throws IOException {
        try (PdfPages pages = PdfPages.open(pdf, null)) {
            return pages.words(page).boxesOf(passage);
        }
    }

    private static String storedText(Path pdf) {
        IngestedDocument d = new Ingestor().ingest(pdf, IngestOptions.defaults());
        return d.text();
    }

    /** The box spans [x, x + width of text) along the baseline drawn at {@code y} (PDF coordinates) in an 11 pt font. */
    private static void assertDrawnAt(PageWords.Box b, PDFont font, float size, float x, float y, String before, String text) throws IOException {
        float left = x + TestPdfs.width(font, size, before);
        float right = left + TestPdfs.width(font, size, text);
        float base = HEIGHT - y;
        assertEquals(left, b.left(), 0.5, "left edge of " + text + ": " + b);
        assertEquals(right, b.right(), 0.5, "right edge of " + text + ": " + b);
        assertTrue(b.top() < base - 0.6 * size && b.top() > base - 1.1 * size, "top above the baseline by about the ascent: " + b);
        assertTrue(b.bottom() > base && b.bottom() < base + 0.35 * size, "bottom just below the baseline: " + b);
    }

    @Test
    void aPassageSplitByAHyphenAtALineEndIsFoundOnBothLinesWhereItWasDrawn() throws IOException {
        Path pdf = TestPdfs.hyphenPdf(dir.resolve("hyphen.pdf"));
        String text = storedText(pdf);
        String passage = "examined the information\ncarefully";
        assertTrue(text.contains(passage), "the stored text joins the word: " + text);

        List<PageWords.Box> boxes = boxes(pdf, 0, passage);
        assertEquals(2, boxes.size(), boxes.toString());
        // hyphenPdf draws its lines at x = 72, from y = 700 down, 14 pt apart, in 11 pt Helvetica
        assertDrawnAt(boxes.get(0), TestPdfs.HELVETICA, 11, 72, 700, "The committee ", "examined the infor");
        assertDrawnAt(boxes.get(1), TestPdfs.HELVETICA, 11, 72, 686, "", "mation carefully");
    }

    @Test
    void ligaturesAndOddSpacesMatchTheStoredLetters() throws IOException {
        Path pdf = TestPdfs.ligaturePdf(dir.resolve("ligatures.pdf"));
        String text = storedText(pdf);
        assertTrue(text.contains("final effort of the office"), text);
        List<PageWords.Box> boxes = boxes(pdf, 0, "final effort of the office");
        assertEquals(1, boxes.size(), boxes.toString());
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            PDFont font = PDType0Font.load(doc, TestPdfs.DEJAVU.toFile());
            assertDrawnAt(boxes.getFirst(), font, 12, 72, 700, "The ", "\uFB01nal e\uFB00ort of the o\uFB03ce");
        }
    }

    @Test
    void aPassageRunningDownAColumnIsFollowedThereThoughThePageDrawsTheColumnsInterleaved() throws IOException {
        Path pdf = TestPdfs.twoColumnPdf(dir.resolve("columns.pdf"));
        String passage = "when the bridge fell in the great flood and the town moved its market";
        List<PageWords.Box> boxes = boxes(pdf, 0, passage);
        assertEquals(2, boxes.size(), boxes.toString());
        // twoColumnPdf: the right column at x = 320, its lines from y = 700 down, 14 pt apart, 10 pt
        assertDrawnAt(boxes.get(0), TestPdfs.HELVETICA, 10, 320, 686, "", TestPdfs.RIGHT[1]);
        assertDrawnAt(boxes.get(1), TestPdfs.HELVETICA, 10, 320, 672, "", "the town moved its market");
    }

    @Test
    void aPassageGoingOnPastThePageIsFoundByItsBeginningAndOneNotThereIsNotFound() throws IOException {
        Path pdf = TestPdfs.pdf(dir.resolve("two.pdf"), List.of(
                TestPdfs.column(72, 700, "First page text ends with a sentence that", "goes on to the next page"),
                TestPdfs.column(72, 700, "where it ends at last.")));
        List<PageWords.Box> boxes = boxes(pdf, 0, "a sentence that goes on to the next page where it ends at last.");
        assertEquals(2, boxes.size(), boxes.toString());
        assertDrawnAt(boxes.get(0), TestPdfs.HELVETICA, 11, 72, 700, "First page text ends with ", "a sentence that");
        assertDrawnAt(boxes.get(1), TestPdfs.HELVETICA, 11, 72, 686, "", "goes on to the next page");
        assertEquals(List.of(), boxes(pdf, 0, "nothing like this is on the page"));
        assertEquals(List.of(), boxes(pdf, 1, "First page text"));
    }
}
