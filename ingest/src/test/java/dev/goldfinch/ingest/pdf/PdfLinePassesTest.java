package dev.goldfinch.ingest.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The passes that make a PDF line's text, each alone, on glyphs laid out by hand (10 pt, x in points). */
class PdfLinePassesTest {
    private static final float SIZE = 10;

    /** Glyphs of {@code text} from x, each {@code advance} wide, {@code gap} apart, on baseline y. */
    private static List<PdfGlyph> run(String text, float x, float y, float advance, float gap) {
        List<PdfGlyph> out = new ArrayList<>();
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            out.add(PdfGlyph.of(Character.toString(c), x, advance, y, SIZE));
            x += advance + gap;
            i += Character.charCount(c);
        }
        return out;
    }

    private static String texts(List<PdfGlyph> glyphs) {
        StringBuilder sb = new StringBuilder();
        glyphs.forEach(g -> sb.append(g.text()));
        return sb.toString();
    }

    // ---------------------------------------------------------------- Overprint

    @Test
    void overprintDropsACopyAtTheSamePlaceButKeepsRealRepeats() {
        List<PdfGlyph> drawn = new ArrayList<>(run("all", 0, 100, 5, 0));
        drawn.addAll(run("all", 0.3f, 100, 5, 0));   // drawn again a hair to the right
        assertEquals("all", texts(Overprint.keep(drawn)));
    }

    @Test
    void overprintFollowsAShadowOffsetFurtherThanANarrowGlyph() {
        // "Hill" at 28 pt, shadow 3 pt right and 3 pt down: the l's are 6 pt wide, their twins 3 pt off is half a
        // glyph; the H (20 pt wide) is caught as overlapping, and the same offset carries through the word
        List<PdfGlyph> drawn = new ArrayList<>();
        float[] widths = {20, 6, 6, 6};
        String word = "Hill";
        for (float dx : new float[] {3, 0}) {
            float x = 100 + dx;
            for (int i = 0; i < word.length(); i++) {
                drawn.add(new PdfGlyph(String.valueOf(word.charAt(i)), x, widths[i], 200 + dx, 28, Float.NaN, null));
                x += widths[i];
            }
        }
        assertEquals("Hill", texts(Overprint.keep(drawn)));
    }

    @Test
    void overprintKeepsTheSameWordOnTheNextLine() {
        List<PdfGlyph> drawn = new ArrayList<>(run("word", 0, 100, 5, 0));
        drawn.addAll(run("word", 0, 112, 5, 0));
        drawn.addAll(run("word", 30, 100, 5, 0));
        assertEquals("wordwordword", texts(Overprint.keep(drawn)));
    }

    // ---------------------------------------------------------------- Marks

    @Test
    void aCombiningMarkDrawnWithoutAdvanceJoinsTheLetterBeforeIt() {
        List<PdfGlyph> line = new ArrayList<>(run("cafe", 0, 100, 5, 0));
        line.add(PdfGlyph.of("\u0301", 20, 0, 100, SIZE));  // at the end of the e
        line.addAll(run("s", 20, 100, 5, 0));
        assertEquals(List.of("c", "a", "f", "e\u0301", "s"), Marks.attach(line).stream().map(PdfGlyph::text).toList());
    }

    @Test
    void aSpacingAccentOverALetterBecomesItsMark() {
        // a dieresis 6 wide centred over an i 3 wide that starts at 10: it starts over the a
        List<PdfGlyph> line = new ArrayList<>();
        line.add(PdfGlyph.of("a", 5, 5, 100, SIZE));
        line.add(PdfGlyph.of("\u00a8", 8.5f, 6, 100, SIZE));
        line.add(PdfGlyph.of("i", 10, 3, 100, SIZE));
        line.add(PdfGlyph.of("\u0131", 13, 3, 100, SIZE));
        line.add(PdfGlyph.of("\u00b4", 12.5f, 4, 100, SIZE));
        assertEquals(List.of("a", "i\u0308", "i\u0301"), Marks.attach(line).stream().map(PdfGlyph::text).toList());
    }

    @Test
    void aSpacingAccentOnItsOwnStays() {
        List<PdfGlyph> line = run("x^2", 0, 100, 5, 0);
        assertEquals("x^2", texts(Marks.attach(line)));
    }

    // ---------------------------------------------------------------- WordGaps

    @Test
    void wordGapsFindSpacesFromTheGapsBetweenGlyphs() {
        List<PdfGlyph> line = new ArrayList<>(run("zum", 0, 100, 5, 0));
        line.addAll(run("west", 15 + 2.2f, 100, 5, 0));      // 0.22 em: a shrunk word space
        line.addAll(run("en", 37.2f + 0.3f, 100, 5, 0));     // 0.03 em: kerning
        assertEquals(List.of("z", "u", "m", " ", "w", "e", "s", "t", "e", "n"), WordGaps.split(line));
    }

    @Test
    void wordGapsBetweenFullWidthGlyphs() {
        // Hangul glyphs are a full em wide; a Korean word space is about a quarter em
        List<PdfGlyph> line = new ArrayList<>(run("모든", 0, 100, 10, 0));
        line.addAll(run("인간은", 20 + 2.6f, 100, 10, 0));
        assertEquals("모든 인간은", String.join("", WordGaps.split(line)));
    }

    @Test
    void spaceGlyphsAndGapsMakeOneSpace() {
        List<PdfGlyph> line = new ArrayList<>(run("a", 0, 100, 5, 0));
        line.add(PdfGlyph.of(" ", 5, 3, 100, SIZE));
        line.add(PdfGlyph.of("\u00a0", 8, 3, 100, SIZE));
        line.addAll(run("b", 20, 100, 5, 0));
        assertEquals("a b", String.join("", WordGaps.split(line)));
    }

    @Test
    void theFontsOwnSpaceWidthCounts() {
        // a condensed font with a 0.15 em space: a 0.1 em gap is a space
        PdfGlyph a = new PdfGlyph("a", 0, 5, 100, SIZE, 0.15f, null);
        PdfGlyph b = new PdfGlyph("b", 6, 5, 100, SIZE, 0.15f, null);
        assertEquals(List.of("a", " ", "b"), WordGaps.split(List.of(a, b)));
    }

    // ---------------------------------------------------------------- VisualOrder

    @Test
    void rightToLeftPiecesAreReversedNumbersAndLatinStay() {
        // as read left to right off the page
        assertEquals("שלום עולם", VisualOrder.logical(pieces("םלוע םולש")));
        assertEquals("בשנת 2024 נבנה", VisualOrder.logical(pieces("הנבנ 2024 תנשב")));
        assertEquals("The word שלום means peace", VisualOrder.logical(pieces("The word םולש means peace")));
        assertEquals("שלום Java עולם", VisualOrder.logical(pieces("םלוע Java םולש")));
        // a bracket drawn in a right-to-left run is the mirror image of the character it stands for
        assertEquals("(שלום)", VisualOrder.logical(pieces("(םולש)")));
        assertEquals("plain", VisualOrder.logical(pieces("plain")));
    }

    @Test
    void marksStayAfterTheirLetterWhenReversed() {
        // shin with a shin dot, then lamed, as clusters
        assertEquals("\u05e9\u05c1\u05dc", VisualOrder.logical(List.of("\u05dc", "\u05e9\u05c1")));
    }

    private static List<String> pieces(String s) {
        List<String> out = new ArrayList<>();
        s.codePoints().forEach(c -> out.add(Character.toString(c)));
        return out;
    }

    // ---------------------------------------------------------------- GlyphNames

    @Test
    void glyphNamesByTheAdobeGlyphListRules() {
        assertEquals("\uD835\uDC65", GlyphNames.toUnicode("u1D465"));
        assertEquals("\uD835\uDC66", GlyphNames.toUnicode("u1D466.ssty"));
        assertEquals("fi", GlyphNames.toUnicode("uni00660069"));
        assertEquals("fl", GlyphNames.toUnicode("f_l"));
        assertEquals("é", GlyphNames.toUnicode("eacute"));
        assertEquals("x", GlyphNames.toUnicode("x.sc"));
        assertNull(GlyphNames.toUnicode("g123"));
        assertNull(GlyphNames.toUnicode("uniD835DC65"));
        assertNull(GlyphNames.toUnicode(".notdef"));
    }
}
