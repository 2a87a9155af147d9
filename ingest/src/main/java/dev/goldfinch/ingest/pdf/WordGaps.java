package dev.goldfinch.ingest.pdf;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the words of a line end: at a space glyph, or where the gap between two glyphs is wider than a word space
 * could shrink to. Many PDFs draw no space glyphs at all and place each word (TeX, most Korean and Japanese
 * producers); PDFTextStripper's own test compares the gap with 30% of the width of the two glyphs beside it and
 * with half the font's "space width", which it guesses as a glyph's width when the font has no space, so the
 * spaces between Hangul words (full-width glyphs) and between wide Latin letters ("zum westlichen") were lost.
 *
 * <p>Here the gap must exceed the smaller of half the font's space (as the font gives it, or a typical quarter em
 * when it does not have one) and a quarter of the line's average glyph width, and at least
 * {@value #MIN_GAP_EM} em: that is about 0.12 em in Latin text, where kerning and letter spacing stay well below
 * it and even a justified line's space stays well above it.
 */
final class WordGaps {
    static final float DEFAULT_SPACE_EM = 0.25f;
    static final float MIN_GAP_EM = 0.08f;

    private WordGaps() {
    }

    /**
     * The line as pieces in visual order (left to right): each glyph's text, with a single " " wherever a word
     * ends. Space glyphs become that " ".
     */
    static List<String> split(List<PdfGlyph> line) {
        float averageEm = averageWidthEm(line);
        List<String> out = new ArrayList<>(line.size() + line.size() / 4);
        PdfGlyph prev = null;
        boolean space = false;
        for (PdfGlyph g : line) {
            if (g.isSpace()) {
                space = prev != null;
                continue;
            }
            if (prev != null && (space || g.x() - prev.end() > threshold(prev, g, averageEm))) {
                out.add(" ");
            }
            out.add(g.text());
            prev = g;
            space = false;
        }
        return out;
    }

    /** The narrowest gap between {@code a} and {@code b} that is a space, in points. */
    static float threshold(PdfGlyph a, PdfGlyph b, float averageEm) {
        float spaceEm = a.spaceEm() > 0 ? a.spaceEm() : DEFAULT_SPACE_EM;
        float em = Math.max(a.size(), b.size());
        return Math.max(MIN_GAP_EM, Math.min(0.5f * spaceEm, 0.25f * averageEm)) * em;
    }

    /** The mean advance of the line's glyphs that have ink, in em of their own size. */
    static float averageWidthEm(List<PdfGlyph> line) {
        double sum = 0;
        int n = 0;
        for (PdfGlyph g : line) {
            if (!g.isSpace() && g.width() > 0 && g.size() > 0) {
                sum += g.width() / g.size();
                n++;
            }
        }
        return n == 0 ? 0.5f : (float) (sum / n);
    }
}
