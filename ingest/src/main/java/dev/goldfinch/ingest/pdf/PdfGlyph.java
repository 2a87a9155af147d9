package dev.goldfinch.ingest.pdf;

import org.apache.pdfbox.text.TextPosition;

/**
 * One glyph drawn on a PDF page, as the line passes ({@link Overprint}, {@link Marks}, {@link WordGaps},
 * {@link VisualOrder}) see it: its text and where it sits, in the page's reading direction (x grows to the right,
 * the baseline grows downwards), in points.
 *
 * @param text    the Unicode text of the glyph (more than one character for a ligature like "fi")
 * @param x       left edge
 * @param width   advance width (0 for a mark drawn without advancing)
 * @param base    baseline
 * @param size    font size in points
 * @param spaceEm width of a space in the glyph's font, in em, or NaN when the font does not say
 * @param source  the PDFBox glyph it was made from (null in tests)
 */
record PdfGlyph(String text, float x, float width, float base, float size, float spaceEm, TextPosition source) {

    static PdfGlyph of(String text, float x, float width, float base, float size) {
        return new PdfGlyph(text, x, width, base, size, Float.NaN, null);
    }

    float end() {
        return x + width;
    }

    /** A space of any kind (including no-break and thin spaces): it separates words but has no ink. */
    boolean isSpace() {
        return text.isEmpty() || text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
    }

    PdfGlyph withText(String t) {
        return new PdfGlyph(t, x, width, base, size, spaceEm, source);
    }
}
