/**
 * PDFs, read with PDFBox as small passes that each do one thing and are tested alone, run in order by
 * {@link dev.goldfinch.ingest.pdf.PdfExtractor}: {@code PdfOpener} (a file cut short refused, the password asked
 * for only if it is encrypted), {@code TextCapture} (each page's lines in reading order, by {@code PdfLayout}'s
 * columns and blocks, with their places on the page), {@code ScannedPages} (OCR of the pages that are only an
 * image: {@code Ocr} renders a page and reads what {@link dev.goldfinch.ingest.pdf.Tesseract}, the program,
 * recognised), {@code PageLabels} (a page's own name), {@code RunningLines} (headers and footers left out of the
 * text, kept in the page map) and {@code LineJoins} (a page's lines into its text, a word split by a hyphen whole
 * again, across a page break too). They hand on a {@code PageLines} per page, of {@code Line}s. A line's text is
 * made from its glyphs ({@code PdfGlyph}) by passes of their own: {@code Overprint} (text drawn twice read once,
 * before the page is cut into regions), then, in {@code LineText}, {@code Marks} (accents onto their letters),
 * {@code WordGaps} (spaces from the gaps) and {@code VisualOrder} (right-to-left lines into reading order), with
 * {@code GlyphNames} for glyphs known only by their names. For showing a PDF's pages, not reading them:
 * {@link dev.goldfinch.ingest.pdf.PdfPages} renders a page and {@link dev.goldfinch.ingest.pdf.PageWords} finds where
 * a passage of the stored text was drawn on it. Not here: the checks made before a file is parsed (its
 * size, its format), the time limit (the Ingestor's), and what the PDF reader shares with the others, normalisation
 * and the language guess: all in {@link dev.goldfinch.ingest}.
 */
package dev.goldfinch.ingest.pdf;
