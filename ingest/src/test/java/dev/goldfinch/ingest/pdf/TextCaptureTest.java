package dev.goldfinch.ingest.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldfinch.ingest.TestJobs;
import dev.goldfinch.ingest.pdf.TestPdfs.Text;

/**
 * The text capture pass, alone, on PDFs written in the test: each page's lines in reading order with their places,
 * and what a page without text holds.
 */
class TextCaptureTest {
    @TempDir
    Path dir;

    private static List<String> texts(PageLines page) {
        return page.lines().stream().map(Line::text).toList();
    }

    @Test
    void linesComeInReadingOrderEachColumnARegion() throws IOException {
        List<PageLines> pages = TestPdfs.captured(TestPdfs.twoColumnPdf(dir.resolve("two.pdf")));
        assertEquals(1, pages.size());
        PageLines page = pages.getFirst();
        List<String> expected = new ArrayList<>();
        expected.add("A Tale of Two Columns");
        expected.addAll(List.of(TestPdfs.LEFT));
        expected.addAll(List.of(TestPdfs.RIGHT));
        expected.add("This closing line runs across the full width of the page, below both columns.");
        assertEquals(expected, texts(page));

        // the title is narrower than the left column, so it goes with it; the closing line crosses the gutter
        List<Line> lines = page.lines();
        for (int i = 0; i < lines.size(); i++) {
            int region = i <= TestPdfs.LEFT.length ? 0 : i <= TestPdfs.LEFT.length + TestPdfs.RIGHT.length ? 1 : 2;
            assertEquals(region, lines.get(i).region(), lines.get(i).toString());
        }
        // paragraphs start after a wider gap: below the title, at the top of each column, at the closing line
        List<Integer> paragraphs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).paragraphStart()) {
                paragraphs.add(i);
            }
        }
        assertEquals(List.of(0, 1, 1 + TestPdfs.LEFT.length, lines.size() - 1), paragraphs);
        assertEquals(792, page.height());
        assertFalse(page.hasImages());
    }

    @Test
    void aLineSitsWhereItIsDrawnCountedFromTheTopOfThePage() throws IOException {
        // baselines 700 and 686 pt above the bottom of a 792 pt page: 92 and 106 pt from its top
        List<PageLines> pages = TestPdfs.captured(TestPdfs.pdf(dir.resolve("one.pdf"),
                List.of(TestPdfs.column(72, 700, "First line of text", "Second line of text"))));
        List<Line> lines = pages.getFirst().lines();
        assertEquals(List.of("First line of text", "Second line of text"), texts(pages.getFirst()));
        assertEquals(92, lines.get(0).bottom(), 0.5);
        assertEquals(106, lines.get(1).bottom(), 0.5);
        for (Line l : lines) {
            // 11 pt Helvetica: its glyphs rise some 6-11 pt above the baseline
            assertTrue(l.top() < l.bottom() - 5 && l.top() > l.bottom() - 12, l.toString());
        }
    }

    @Test
    void aPageWithoutTextButAnImageIsAScan() throws IOException {
        List<PageLines> pages = TestPdfs.captured(TestPdfs.imagePagesPdf(dir.resolve("mixed.pdf"), true));
        assertEquals(List.of("Only the first page has real text on it."), texts(pages.getFirst()));
        assertFalse(pages.getFirst().hasImages());
        for (PageLines scan : pages.subList(1, 3)) {
            assertTrue(scan.lines().isEmpty() && scan.hasImages(), scan.toString());
        }
    }

    @Test
    void aPageWithoutAContentStreamIsAnEmptyPageInItsPlace() throws IOException {
        Path pdf = TestPdfs.contentlessPagePdf(dir.resolve("gap.pdf"));
        List<PageLines> pages = TestPdfs.captured(pdf);
        assertEquals(3, pages.size());
        assertEquals(List.of("The first page."), texts(pages.get(0)));
        assertTrue(pages.get(1).lines().isEmpty() && !pages.get(1).hasImages(), pages.get(1).toString());
        assertEquals(PDRectangle.A4.getHeight(), pages.get(1).height());
        assertEquals(List.of("The third page."), texts(pages.get(2)));

        PageLines blank = TestPdfs.captured(TestPdfs.blankPdf(dir.resolve("blank.pdf"))).getFirst();
        assertTrue(blank.lines().isEmpty() && !blank.hasImages(), blank.toString());
    }

    @Test
    void aTurnedPageIsAsHighAsItIsShown() throws IOException {
        Path upright = TestPdfs.pdf(dir.resolve("upright.pdf"), List.of(List.of(new Text(72, 500, "Landscape"))));
        Path turned = dir.resolve("turned.pdf");
        try (PDDocument doc = Loader.loadPDF(upright.toFile())) {
            doc.getPage(0).setRotation(90);
            doc.save(turned.toFile());
        }
        PageLines page = TestPdfs.captured(turned).getFirst();
        assertEquals(612, page.height());
        assertEquals(List.of("Landscape"), texts(page));
    }

    @Test
    void aJobWhoseTimeIsUpStopsAtThePage() throws IOException {
        Path pdf = TestPdfs.runningHeadersPdf(dir.resolve("report.pdf"), 3);
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            assertThrows(CancellationException.class, () -> TextCapture.pages(TestJobs.cancelled(pdf), doc));
        }
    }
}
