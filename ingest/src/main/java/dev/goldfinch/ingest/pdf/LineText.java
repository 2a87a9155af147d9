package dev.goldfinch.ingest.pdf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The text of one line of a PDF page, made from its glyphs rather than taken from PDFTextStripper (which still
 * decides what a line is): left to right by position, accents joined to their letters ({@link Marks}), spaces
 * where the words end ({@link WordGaps}), then into reading order ({@link VisualOrder}).
 */
final class LineText {
    private LineText() {
    }

    static String text(List<PdfGlyph> glyphs) {
        List<PdfGlyph> sorted = new ArrayList<>(glyphs);
        sorted.sort(Comparator.comparingDouble(PdfGlyph::x));
        return VisualOrder.logical(WordGaps.split(Marks.attach(sorted)));
    }
}
