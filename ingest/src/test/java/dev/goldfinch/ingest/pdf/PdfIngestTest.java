package dev.goldfinch.ingest.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDPageLabelRange;
import org.apache.pdfbox.pdmodel.common.PDPageLabels;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldfinch.ingest.IngestException;
import dev.goldfinch.ingest.IngestException.Reason;
import dev.goldfinch.ingest.IngestOptions;
import dev.goldfinch.ingest.IngestedDocument;
import dev.goldfinch.ingest.Ingestor;
import dev.goldfinch.ingest.PageSpan;
import dev.goldfinch.ingest.pdf.TestPdfs.Text;

/** PDFs written with PDFBox, read back through the Ingestor. */
class PdfIngestTest {
    private final Ingestor ingestor = new Ingestor();

    @TempDir
    Path dir;

    private static String squash(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    private static String joined(String... lines) {
        return String.join(" ", lines);
    }

    @Test
    void sortByPositionAloneReadsAcrossTheGutter() throws IOException {
        // The reason PdfLayout exists: PDFTextStripper's sort-by-position interleaves columns that share baselines.
        Path pdf = TestPdfs.twoColumnPdf(dir.resolve("two.pdf"));
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            PDFTextStripper s = new PDFTextStripper();
            s.setSortByPosition(true);
            String text = squash(s.getText(doc));
            assertTrue(text.contains(TestPdfs.LEFT[0] + " " + TestPdfs.RIGHT[0]), text);
            assertFalse(text.contains(joined(TestPdfs.LEFT)), text);
        }
    }

    @Test
    void twoColumnPageReadsColumnByColumn() throws IOException {
        Path pdf = TestPdfs.twoColumnPdf(dir.resolve("two.pdf"));
        IngestedDocument doc = ingestor.ingest(pdf);
        String text = squash(doc.text());
        String left = joined(TestPdfs.LEFT);
        String right = joined(TestPdfs.RIGHT);
        assertTrue(text.contains(left), text);
        assertTrue(text.contains(right), text);
        int title = text.indexOf("A Tale of Two Columns");
        int closing = text.indexOf("This closing line runs across");
        assertTrue(title == 0 && text.indexOf(left) < text.indexOf(right) && text.indexOf(right) < closing, text);
        assertEquals(IngestedDocument.Unit.PAGE, doc.unit());
        assertEquals(List.of(new PageSpan(1, 0, doc.text().length(), "1")), doc.pages());
    }

    @Test
    void threeColumnsAndAColumnOfUnequalWidth() throws IOException {
        String[] a = {"alpha one runs down the first", "column of three in the page", "and keeps going for a while",
            "until alpha is done here"};
        String[] b = {"bravo two sits in the middle", "column of this small page", "with four lines of its own",
            "and bravo ends right here"};
        String[] c = {"charlie three is on the right", "and is the last of all three", "columns on the page we made",
            "so charlie is read last"};
        List<Text> page = new java.util.ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            page.add(new Text(50, 700 - 14 * i, 9, a[i]));
            page.add(new Text(230, 700 - 14 * i, 9, b[i]));
            page.add(new Text(410, 700 - 14 * i, 9, c[i]));
        }
        IngestedDocument doc = ingestor.ingest(TestPdfs.pdf(dir.resolve("three.pdf"), List.of(page)));
        String text = squash(doc.text());
        int ia = text.indexOf(joined(a));
        int ib = text.indexOf(joined(b));
        int ic = text.indexOf(joined(c));
        assertTrue(ia >= 0 && ib > ia && ic > ib, text);
    }

    @Test
    void singleColumnTableKeepsItsRows() throws IOException {
        // a label/number table must not be read as two columns (the number column is too narrow to be one)
        List<Text> page = new java.util.ArrayList<>();
        String[] labels = {"Revenue from sales", "Cost of goods sold", "Gross profit", "Operating expenses",
            "Net income"};
        String[] numbers = {"1,204", "-702", "502", "-311", "191"};
        for (int i = 0; i < labels.length; i++) {
            page.add(new Text(72, 700 - 14 * i, 10, labels[i]));
            page.add(new Text(480, 700 - 14 * i, 10, numbers[i]));
        }
        String text = ingestor.ingest(TestPdfs.pdf(dir.resolve("table.pdf"), List.of(page))).text();
        for (int i = 0; i < labels.length; i++) {
            assertTrue(text.contains(labels[i] + " " + numbers[i]), text);
        }
    }

    @Test
    void lineEndHyphenJoinsTheWordButAHyphenBeforeACapitalStays() throws IOException {
        IngestedDocument doc = ingestor.ingest(TestPdfs.hyphenPdf(dir.resolve("hyphen.pdf")));
        assertTrue(doc.text().contains("examined the information\ncarefully"), doc.text());
        assertFalse(doc.text().contains("infor-"), doc.text());
        assertTrue(doc.text().contains("Baden-\nWürttemberg"), doc.text());
    }

    @Test
    void wordHyphenatedAcrossAPageBreakIsJoinedOnThePageWhereItStarts() throws IOException {
        Path pdf = TestPdfs.pdf(dir.resolve("break.pdf"), List.of(
                TestPdfs.column(72, 700, "Page one tells how the clerk gathered all the", "infor-"),
                TestPdfs.column(72, 700, "mation about the river before the flood came,", "and then the town of Baden-"),
                TestPdfs.column(72, 700, "Württemberg sent help.")));
        IngestedDocument doc = ingestor.ingest(pdf);
        assertFalse(doc.text().contains("infor-"), doc.text());
        assertEquals(doc.text().indexOf("mation"), doc.text().indexOf("information") + 5, doc.text());
        assertEquals(3, doc.pages().size());
        // the whole word lands on page 1, where it starts; page 2 begins after the fragment
        assertEquals("Page one tells how the clerk gathered all the\ninformation\n\n",
                doc.textOf(doc.pages().get(0)));
        assertEquals(1, doc.pageAt(doc.text().indexOf("information")).page());
        assertTrue(doc.textOf(doc.pages().get(1)).startsWith("about the river before the flood came,\n"),
                doc.textOf(doc.pages().get(1)));
        assertEquals(2, doc.pageAt(doc.text().indexOf("about the river")).page());
        // a hyphen before a capital is a real one: nothing moves
        assertTrue(doc.textOf(doc.pages().get(1)).endsWith("and then the town of Baden-\n\n"), doc.text());
        assertEquals("Württemberg sent help.", doc.textOf(doc.pages().get(2)));
    }

    @Test
    void pageBreakHyphenIsJoinedPastRunningHeadersAndFooters() throws IOException {
        // "infor-" ends page 2's body, but the last line drawn on the page is its footer, and page 3 starts with
        // the running header: both are left out first, so the join still happens
        List<List<Text>> pages = new java.util.ArrayList<>();
        String[][] bodies = {
            {"The first page of the report is here.", "It has two lines."},
            {"The second page collects the infor-"},
            {"mation, which the third page goes on with.", "And more."},
            {"The fourth page closes the report."},
        };
        for (int i = 0; i < bodies.length; i++) {
            List<Text> page = new java.util.ArrayList<>();
            page.add(new Text(72, 760, 9, "ACME Corporation Annual Report 2024"));
            page.addAll(TestPdfs.column(72, 700, bodies[i]));
            page.add(new Text(280, 30, 9, "Page " + (i + 1) + " of 4"));
            pages.add(page);
        }
        IngestedDocument doc = ingestor.ingest(TestPdfs.pdf(dir.resolve("report.pdf"), pages));
        assertEquals("The second page collects the information,\n\n", doc.textOf(doc.pages().get(1)));
        assertEquals("which the third page goes on with.\nAnd more.\n\n", doc.textOf(doc.pages().get(2)));
        assertEquals(List.of("ACME Corporation Annual Report 2024", "Page 3 of 4"), doc.pages().get(2).dropped());
    }

    @Test
    void runningHeadersAndFootersLeaveTheTextButStayInTheMap() throws IOException {
        IngestedDocument doc = ingestor.ingest(TestPdfs.runningHeadersPdf(dir.resolve("report.pdf"), 5));
        assertFalse(doc.text().contains("ACME Corporation"), doc.text());
        assertFalse(doc.text().contains("Page 3 of 5"), doc.text());
        assertEquals(5, doc.pages().size());
        for (int i = 1; i <= 5; i++) {
            PageSpan span = doc.pages().get(i - 1);
            assertEquals(i, span.page());
            assertEquals(List.of("ACME Corporation Annual Report 2024", "Page " + i + " of 5"), span.dropped());
            String pageText = doc.textOf(span);
            assertTrue(pageText.contains("Body of page " + i + " talks about topic number " + i + "."), pageText);
            assertTrue(pageText.contains("second line of its own on page " + i), pageText);
        }
        // every character maps back to its page
        int at = doc.text().indexOf("topic number 4");
        assertEquals(4, doc.pageAt(at).page());
        assertEquals(1, doc.pageAt(0).page());
        assertEquals(5, doc.pageAt(doc.text().length()).page());
        assertTrue(doc.warnings().stream().anyMatch(w -> w.contains("running header")), doc.warnings().toString());
    }

    @Test
    void headersOnFewPagesAreKept() throws IOException {
        // two pages: too few to call anything "running"
        IngestedDocument doc = ingestor.ingest(TestPdfs.runningHeadersPdf(dir.resolve("short.pdf"), 2));
        assertTrue(doc.text().contains("ACME Corporation Annual Report 2024"));
    }

    @Test
    void pagesHoldingOnlyAShortLineAtTheTopKeepIt() throws IOException {
        // each page's only text is a line at the top, the same on every page or the same but for its number
        List<List<Text>> numbered = new java.util.ArrayList<>();
        List<List<Text>> same = new java.util.ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            numbered.add(List.of(new Text(72, 740, 14, "Section " + i)));
            same.add(List.of(new Text(72, 740, 14, "Notes")));
        }
        IngestedDocument doc = ingestor.ingest(TestPdfs.pdf(dir.resolve("sections.pdf"), numbered));
        assertEquals("Section 1\n\nSection 2\n\nSection 3\n\nSection 4", doc.text());
        assertTrue(doc.pages().stream().allMatch(p -> p.dropped().isEmpty()), doc.pages().toString());
        IngestedDocument notes = ingestor.ingest(TestPdfs.pdf(dir.resolve("notes.pdf"), same));
        assertEquals("Notes\n\nNotes\n\nNotes\n\nNotes", notes.text());
    }

    @Test
    void headingsThatDifferInTheirNumberAreNotRunningHeaders() throws IOException {
        // a chapter heading at the top of each page (numbers that do not follow the pages), a page number footer
        int[] chapters = {7, 2, 9, 4};
        List<List<Text>> pages = new java.util.ArrayList<>();
        for (int i = 1; i <= chapters.length; i++) {
            List<Text> page = new java.util.ArrayList<>();
            page.add(new Text(72, 740, 14, "Chapter " + chapters[i - 1]));
            page.addAll(TestPdfs.column(72, 700, "The body of page " + i + " goes on for a while."));
            page.add(new Text(280, 30, 9, "Page " + (i + 10)));
            pages.add(page);
        }
        IngestedDocument doc = ingestor.ingest(TestPdfs.pdf(dir.resolve("chapters.pdf"), pages));
        for (int i = 1; i <= chapters.length; i++) {
            PageSpan span = doc.pages().get(i - 1);
            assertTrue(doc.textOf(span).startsWith("Chapter " + chapters[i - 1] + "\n"), doc.textOf(span));
            assertEquals(List.of("Page " + (i + 10)), span.dropped());
        }
    }

    @Test
    void encryptedPdfNeedsThePassword() throws IOException {
        Path pdf = TestPdfs.encryptedPdf(dir.resolve("secret.pdf"), "sesame");
        IngestException none = assertThrows(IngestException.class, () -> ingestor.ingest(pdf));
        assertEquals(Reason.ENCRYPTED, none.reason());
        assertTrue(none.getMessage().startsWith("secret.pdf is password-protected"), none.getMessage());

        IngestException wrong = assertThrows(IngestException.class,
                () -> ingestor.ingest(pdf, IngestOptions.defaults().withPassword("open sesame")));
        assertEquals(Reason.WRONG_PASSWORD, wrong.reason());
        assertTrue(wrong.getMessage().contains("wrong"), wrong.getMessage());

        IngestedDocument doc = ingestor.ingest(pdf, IngestOptions.defaults().withPassword("sesame"));
        assertEquals("The secret recipe needs three eggs.", doc.text());
    }

    @Test
    void passwordIsOnlyAskedForWhenNeeded() throws IOException {
        Path pdf = TestPdfs.hyphenPdf(dir.resolve("plain.pdf"));
        IngestOptions options = IngestOptions.defaults().withPasswords(file -> {
            throw new AssertionError("asked for a password of an unencrypted file");
        });
        assertFalse(ingestor.ingest(pdf, options).text().isEmpty());
    }

    @Test
    void imageOnlyPagesAreReportedAndMapped() throws IOException {
        IngestedDocument doc = ingestor.ingest(TestPdfs.imagePagesPdf(dir.resolve("mixed.pdf"), true));
        assertEquals("Only the first page has real text on it.", doc.text());
        assertEquals(3, doc.pages().size());
        assertEquals(0, doc.pages().get(1).length());
        assertEquals(0, doc.pages().get(2).length());
        assertTrue(doc.warnings().stream().anyMatch(w -> w.contains("pages 2-3") && w.contains("OCR")),
                doc.warnings().toString());
    }

    @Test
    void scannedPdfSaysOcrIsNeeded() throws IOException {
        Path pdf = TestPdfs.imagePagesPdf(dir.resolve("scan.pdf"), false);
        IngestException e = assertThrows(IngestException.class, () -> ingestor.ingest(pdf));
        assertEquals(Reason.NO_TEXT_LAYER, e.reason());
        assertTrue(e.getMessage().contains("scanned") && e.getMessage().contains("OCR"), e.getMessage());
        // tesseract is detected on the PATH, not assumed
        assertEquals(Tesseract.findOnPath("tesseract"), e.getMessage().contains("tesseract is installed"));
    }

    @Test
    void aPageWithoutAContentStreamKeepsItsPlaceInThePageMap() throws IOException {
        // an empty page as some producers write it: no content stream at all (PDFBox's text stripper skips such a
        // page, and every page after it moved up one in the page map, its text cited on the page before)
        Path pdf = TestPdfs.contentlessPagePdf(dir.resolve("gap.pdf"));
        IngestedDocument doc = ingestor.ingest(pdf);
        assertEquals(List.of("1", "2", "3"), doc.pages().stream().map(PageSpan::label).toList());
        assertEquals("The first page.", doc.textOf(doc.pages().get(0)));
        assertTrue(doc.textOf(doc.pages().get(1)).isBlank(), doc.pages().toString());
        assertEquals("The third page.", doc.textOf(doc.pages().get(2)));
        assertEquals(3, doc.pageAt(doc.text().indexOf("third")).page());
    }

    @Test
    void blankPdfIsEmpty() throws IOException {
        Path pdf = TestPdfs.blankPdf(dir.resolve("blank.pdf"));
        assertEquals(Reason.EMPTY, assertThrows(IngestException.class, () -> ingestor.ingest(pdf)).reason());
    }

    @Test
    void truncatedPdfIsCorrupt() throws IOException {
        Path good = TestPdfs.runningHeadersPdf(dir.resolve("full.pdf"), 5);
        byte[] bytes = Files.readAllBytes(good);
        for (double keep : new double[] {0.3, 0.6, 0.95}) {
            Path cut = dir.resolve("cut" + keep + ".pdf");
            Files.write(cut, Arrays.copyOf(bytes, (int) (bytes.length * keep)));
            IngestException e = assertThrows(IngestException.class, () -> ingestor.ingest(cut));
            assertEquals(Reason.CORRUPT, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void garbledPdfBodyIsCorrupt() throws IOException {
        byte[] junk = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\ngarbage garbage\n%%EOF\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path pdf = Files.write(dir.resolve("garbled.pdf"), junk);
        IngestException e = assertThrows(IngestException.class, () -> ingestor.ingest(pdf));
        assertTrue(e.reason() == Reason.CORRUPT || e.reason() == Reason.EMPTY, e.reason() + ": " + e.getMessage());
    }

    @Test
    void ligaturesAndOddSpacesAreNormalised() throws IOException {
        assumeTrue(Files.exists(TestPdfs.DEJAVU), "needs DejaVu Sans for ligature glyphs");
        IngestedDocument doc = ingestor.ingest(TestPdfs.ligaturePdf(dir.resolve("lig.pdf")));
        assertEquals("The final effort of the office team cost 10 €.", doc.text());
    }

    @Test
    void metadataLabelsAndHash() throws IOException {
        Path pdf = dir.resolve("book.pdf");
        TestPdfs.pdf(pdf, List.of(TestPdfs.column(72, 700, "Preface text."), TestPdfs.column(72, 700, "Preface two."),
                TestPdfs.column(72, 700, "Chapter one begins.")), "The Book", "A. Writer");
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            PDPageLabels labels = new PDPageLabels(doc);
            PDPageLabelRange roman = new PDPageLabelRange();
            roman.setStyle(PDPageLabelRange.STYLE_ROMAN_LOWER);
            labels.setLabelItem(0, roman);
            PDPageLabelRange arabic = new PDPageLabelRange();
            arabic.setStyle(PDPageLabelRange.STYLE_DECIMAL);
            labels.setLabelItem(2, arabic);
            doc.getDocumentCatalog().setPageLabels(labels);
            doc.getDocumentCatalog().setLanguage("en-GB");
            doc.save(dir.resolve("labelled.pdf").toFile());
        }
        IngestedDocument doc = ingestor.ingest(dir.resolve("labelled.pdf"));
        assertEquals(List.of("i", "ii", "1"), doc.pages().stream().map(PageSpan::label).toList());
        assertEquals("The Book", doc.title());
        assertEquals("A. Writer", doc.author());
        assertEquals("en", doc.language());
        assertNull(doc.encoding());
        assertEquals("application/pdf", doc.mediaType());
        assertEquals(64, doc.contentHash().length());

        // the same bytes from another path hash the same; different bytes do not
        Path copy = Files.createDirectories(dir.resolve("elsewhere")).resolve("renamed.pdf");
        Files.copy(dir.resolve("labelled.pdf"), copy);
        assertEquals(doc.contentHash(), ingestor.ingest(copy).contentHash());
        assertNotEquals(doc.contentHash(), ingestor.ingest(pdf).contentHash());
    }
}
