package dev.goldfinch.ingest.pdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDPageLabelRange;
import org.apache.pdfbox.pdmodel.common.PDPageLabels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldfinch.ingest.pdf.TestPdfs.Text;

/** Page labels, alone, read from PDFs written in the test with and without a page label table. */
class PageLabelsTest {
    @TempDir
    Path dir;

    /** A PDF of {@code n} one-line pages. */
    private Path pages(String name, int n) throws IOException {
        List<List<Text>> pages = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            pages.add(TestPdfs.column(72, 700, "Page " + i + " of the book."));
        }
        return TestPdfs.pdf(dir.resolve(name), pages);
    }

    private static PDPageLabelRange range(String style, String prefix, int start) {
        PDPageLabelRange r = new PDPageLabelRange();
        if (style != null) {
            r.setStyle(style);
        }
        if (prefix != null) {
            r.setPrefix(prefix);
        }
        r.setStart(start);
        return r;
    }

    /** The labels of a PDF of {@code n} pages whose label table has {@code ranges}, by the page index they start at. */
    private String[] labelled(int n, Map<Integer, PDPageLabelRange> ranges) throws IOException {
        Path file = pages("plain.pdf", n);
        Path out = dir.resolve("labelled.pdf");
        try (PDDocument doc = Loader.loadPDF(file.toFile())) {
            PDPageLabels labels = new PDPageLabels(doc);
            ranges.forEach(labels::setLabelItem);
            doc.getDocumentCatalog().setPageLabels(labels);
            doc.save(out.toFile());
        }
        try (PDDocument doc = Loader.loadPDF(out.toFile())) {
            return PageLabels.of(doc);
        }
    }

    @Test
    void withoutALabelTablePagesAreNumberedFromOne() throws IOException {
        try (PDDocument doc = Loader.loadPDF(pages("book.pdf", 3).toFile())) {
            assertArrayEquals(new String[] {"1", "2", "3"}, PageLabels.of(doc));
        }
    }

    @Test
    void aPrefaceInRomanNumeralsThenTheBodyThenAnAppendix() throws IOException {
        String[] labels = labelled(6, Map.of(
                0, range(PDPageLabelRange.STYLE_ROMAN_LOWER, null, 1),
                2, range(PDPageLabelRange.STYLE_DECIMAL, null, 1),
                5, range(PDPageLabelRange.STYLE_DECIMAL, "A-", 1)));
        assertArrayEquals(new String[] {"i", "ii", "1", "2", "3", "A-1"}, labels);
    }

    @Test
    void aPageWhoseLabelIsEmptyKeepsItsNumber() throws IOException {
        // a range with neither style nor prefix labels its pages with the empty string
        String[] labels = labelled(4, Map.of(
                0, range(PDPageLabelRange.STYLE_DECIMAL, null, 10),
                2, range(null, null, 1)));
        assertArrayEquals(new String[] {"10", "11", "3", "4"}, labels);
    }
}
