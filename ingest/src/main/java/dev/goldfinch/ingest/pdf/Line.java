package dev.goldfinch.ingest.pdf;

/**
 * One line of a PDF page, read from its text layer ({@link TextCapture}) or recognised by OCR ({@link Ocr}), and
 * where it sits: the passes after capture (running headers and footers, the joins) need its place on the page, not
 * only its text.
 *
 * @param text           the line's text, as made from its glyphs ({@link LineText}), not yet normalised
 * @param region         the reading-order region it belongs to ({@link PdfLayout}; an OCR block)
 * @param top            top of the line, in points from the top of the page
 * @param bottom         bottom of the line, in points from the top of the page (for a text layer, its lowest
 *                       baseline)
 * @param paragraphStart a paragraph starts with this line
 */
record Line(String text, int region, float top, float bottom, boolean paragraphStart) {

    /** The same line, in the same place, with other text. */
    Line withText(String other) {
        return new Line(other, region, top, bottom, paragraphStart);
    }
}
