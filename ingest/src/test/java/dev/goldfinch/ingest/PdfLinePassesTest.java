package dev.goldfinch.ingest;

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
}
