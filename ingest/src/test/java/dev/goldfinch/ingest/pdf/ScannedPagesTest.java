package dev.goldfinch.ingest.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldfinch.ingest.IngestOptions;
import dev.goldfinch.ingest.TestJobs;
import dev.goldfinch.ingest.pdf.ScannedPages.OcrRun;
import dev.goldfinch.ingest.pdf.TestPdfs.Page;

/**
 * The OCR pass, alone, on PDFs of typed and scanned pages written in the test, with a stand-in tesseract (so that it
 * runs the same whether tesseract is installed or not; {@link OcrTest} reads real scans with the real one), and
 * what is said of the scans.
 */
class ScannedPagesTest {
    private static final IngestOptions OCR = IngestOptions.defaults().withOcr(true);

    @TempDir
    Path dir;

    @AfterEach
    void realTesseract() {
        Tesseract.force(null);
    }

    /** Runs the OCR pass with {@code options} on {@code pages}, the pages of {@code pdf} as TextCapture read them. */
    private static OcrRun ocr(Path pdf, IngestOptions options, List<PageLines> pages) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            return ScannedPages.ocr(TestJobs.job(pdf, options), doc, pages);
        }
    }

    @Test
    void aScanGetsTheLinesTesseractFoundInItsPlace() throws IOException {
        // words in tesseract's TSV rows: two on line 1, one on line 2 of the same paragraph (pixels at 300 dpi)
        Tesseract.force(StandInTesseract.write(dir, """
                if [ "$1" = --list-langs ]; then echo eng; exit 0; fi
                printf '5\\t1\\t1\\t1\\t1\\t1\\t300\\t300\\t200\\t60\\t96\\tRecognised\\n' > "$2.tsv"
                printf '5\\t1\\t1\\t1\\t1\\t2\\t520\\t300\\t200\\t60\\t96\\twords\\n' >> "$2.tsv"
                printf '5\\t1\\t1\\t1\\t2\\t1\\t300\\t400\\t200\\t60\\t96\\tagain\\n' >> "$2.tsv\""""));
        Path pdf = TestPdfs.scannedPdf(dir.resolve("mixed.pdf"), false, Page.typed("A typed page."),
                Page.scan("Recognised words", "again"), Page.typed("Another typed page."));
        List<PageLines> pages = TestPdfs.captured(pdf);
        List<PageLines> before = List.copyOf(pages);
        OcrRun run = ocr(pdf, OCR, pages);

        assertEquals(new OcrRun(true, true, List.of(2), null), run);
        assertSame(before.get(0), pages.get(0));
        assertSame(before.get(2), pages.get(2));
        PageLines scan = pages.get(1);
        assertEquals(List.of("Recognised words", "again"), scan.lines().stream().map(Line::text).toList());
        assertEquals(300 * 72f / 300, scan.lines().getFirst().top(), 0.01);
        assertEquals(792, scan.height());
        assertTrue(scan.hasImages());
    }

    @Test
    void withOcrOffOrWithoutTesseractTheScanStaysEmpty() throws IOException {
        Tesseract.force(dir.resolve("no-such-tesseract"));
        Path pdf = TestPdfs.scannedPdf(dir.resolve("scan.pdf"), false, Page.scan("Some scanned words"));
        for (IngestOptions options : List.of(IngestOptions.defaults(), OCR)) {
            List<PageLines> pages = TestPdfs.captured(pdf);
            OcrRun run = ocr(pdf, options, pages);
            assertEquals(new OcrRun(options.ocr(), false, List.of(), null), run);
            assertTrue(pages.getFirst().lines().isEmpty() && pages.getFirst().hasImages(), pages.toString());
        }
    }

    @Test
    void aPageTesseractFailsOnStaysEmptyAndTheFailureIsKept() throws IOException {
        Tesseract.force(StandInTesseract.write(dir, """
                if [ "$1" = --list-langs ]; then echo eng; exit 0; fi
                echo "Image too small to scale" >&2
                exit 1"""));
        Path pdf = TestPdfs.scannedPdf(dir.resolve("scan.pdf"), false, Page.scan("Some scanned words"));
        List<PageLines> pages = TestPdfs.captured(pdf);
        OcrRun run = ocr(pdf, OCR, pages);
        assertEquals(new OcrRun(true, true, List.of(), "page 1: exit code 1: Image too small to scale"), run);
        assertTrue(pages.getFirst().lines().isEmpty(), pages.toString());
    }

    @Test
    void whatIsSaidOfTheScans() {
        OcrRun off = new OcrRun(false, true, List.of(), null);
        assertEquals("has no text layer (it looks scanned): OCR is needed; tesseract is installed, so it can be OCRed",
                off.noTextLayer());
        assertEquals(List.of("2 of 9 pages have no text layer (scanned?), OCR is needed for them: pages 4-5"),
                off.warnings(List.of(4, 5), 9));
        OcrRun missing = new OcrRun(true, false, List.of(), null);
        assertEquals("has no text layer (it looks scanned): OCR is needed, but tesseract is not installed: install "
                + "it to OCR this file (Debian/Ubuntu: sudo apt install tesseract-ocr; macOS: brew install tesseract; "
                + "Windows: the UB Mannheim installer)", missing.noTextLayer());
        assertEquals("has no text layer (it looks scanned): OCR is needed; tesseract is not installed: "
                + Tesseract.HOW_TO_INSTALL, new OcrRun(false, false, List.of(), null).noTextLayer());
        assertEquals(List.of("1 of 9 pages have no text layer (scanned?), OCR is needed for them: page 4 (tesseract "
                + "is not installed)"), missing.warnings(List.of(4), 9));
        OcrRun read = new OcrRun(true, true, List.of(2, 3, 7), "page 4: exit code 1: no image");
        assertEquals(List.of("the text of pages 2-3, 7 was recognised by OCR (tesseract): check it against the page",
                "OCR found no text on 1 of 9 pages without a text layer: page 4 (tesseract failed, page 4: exit code "
                        + "1: no image)"), read.warnings(List.of(4), 9));
        assertEquals("has no text layer (it looks scanned) and OCR failed on it (tesseract, page 4: exit code 1: no "
                + "image)", read.noTextLayer());
        assertEquals(List.of(), new OcrRun(true, true, List.of(), null).warnings(List.of(), 9));
    }

    @Test
    void pageRanges() {
        assertEquals("2-3, 5, 7-9", ScannedPages.ranges(List.of(2, 3, 5, 7, 8, 9)));
    }
}
