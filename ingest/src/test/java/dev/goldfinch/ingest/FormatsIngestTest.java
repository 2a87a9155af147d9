package dev.goldfinch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldfinch.ingest.IngestException.Reason;
import dev.goldfinch.ingest.IngestedDocument.Unit;

/** Office, OpenDocument, EPUB, HTML, Markdown and plain text, each written for real in the test. */
class FormatsIngestTest {
    private final Ingestor ingestor = new Ingestor();

    @TempDir
    Path dir;

    private static List<String> labels(IngestedDocument doc) {
        return doc.pages().stream().map(PageSpan::label).toList();
    }

    private static String section(IngestedDocument doc, String label) {
        return doc.pages().stream().filter(p -> p.label().equals(label)).map(doc::textOf).findFirst().orElseThrow();
    }

    @Test
    void docxHasSectionsByHeadingAndMetadata() throws IOException {
        IngestedDocument doc = ingestor.ingest(TestDocs.docx(dir.resolve("plan.docx")));
        assertEquals(Unit.SECTION, doc.unit());
        assertEquals(List.of("Start", "Goals", "Risks", "Mitigation"), labels(doc));
        assertTrue(section(doc, "Goals").contains("forty trees"));
        assertTrue(section(doc, "Risks").contains("Late frost"));
        assertFalse(section(doc, "Risks").contains("fleece"));
        assertEquals("Quarterly Plan", doc.title());
        assertEquals("Ada Lovelace", doc.author());
        assertEquals("en", doc.language());
        int at = doc.text().indexOf("fleece");
        assertEquals("Mitigation", doc.pageAt(at).label());
    }

    @Test
    void pptxHasOneSpanPerSlide() throws IOException {
        IngestedDocument doc = ingestor.ingest(TestDocs.pptx(dir.resolve("deck.pptx")));
        assertEquals(Unit.SLIDE, doc.unit());
        assertEquals(List.of("Slide 1", "Slide 2", "Slide 3"), labels(doc));
        assertEquals("Numbers\n\nSales grew by twelve percent", section(doc, "Slide 2").strip());
        assertEquals(3, doc.pageAt(doc.text().indexOf("gardeners")).page());
    }

    @Test
    void xlsxReadsAsRowsPerNamedSheet() throws IOException {
        IngestedDocument doc = ingestor.ingest(TestDocs.xlsx(dir.resolve("book.xlsx")));
        assertEquals(Unit.SHEET, doc.unit());
        assertEquals(List.of("Fruit", "Staff"), labels(doc));
        String fruit = section(doc, "Fruit");
        assertTrue(fruit.contains("Name | Count | Price\nApple | 12 | 0.5\nPear | 7 | 0.75"), fruit);
        assertTrue(section(doc, "Staff").contains("Grace | Gardener"));
    }

    @Test
    void olderOfficeFormatsAndRtf() throws IOException {
        Path xls = dir.resolve("old.xls");
        try (org.apache.poi.hssf.usermodel.HSSFWorkbook wb = new org.apache.poi.hssf.usermodel.HSSFWorkbook();
             OutputStream out = Files.newOutputStream(xls)) {
            var row = wb.createSheet("Ledger").createRow(0);
            row.createCell(0).setCellValue("Rent");
            row.createCell(1).setCellValue(900);
            wb.createSheet("Notes").createRow(0).createCell(0).setCellValue("Paid in March");
            wb.write(out);
        }
        IngestedDocument sheets = ingestor.ingest(xls);
        assertEquals(Unit.SHEET, sheets.unit());
        assertEquals(List.of("Ledger", "Notes"), labels(sheets));
        assertTrue(section(sheets, "Ledger").contains("Rent | 900"), sheets.text());

        Path ppt = dir.resolve("old.ppt");
        try (org.apache.poi.hslf.usermodel.HSLFSlideShow show = new org.apache.poi.hslf.usermodel.HSLFSlideShow();
             OutputStream out = Files.newOutputStream(ppt)) {
            for (String t : List.of("First slide text", "Second slide text")) {
                var box = show.createSlide().createTextBox();
                box.setText(t);
                box.setAnchor(new java.awt.Rectangle(50, 50, 400, 50));
            }
            show.write(out);
        }
        IngestedDocument slides = ingestor.ingest(ppt);
        assertTrue(slides.text().contains("First slide text") && slides.text().contains("Second slide text"),
                slides.text());
        assertEquals(Unit.SLIDE, slides.unit(), slides.pages().toString());
        assertEquals(2, slides.pageAt(slides.text().indexOf("Second slide")).page());

        Path rtf = Files.writeString(dir.resolve("memo.rtf"),
                "{\\rtf1\\ansi{\\fonttbl\\f0\\fswiss Helvetica;}\\f0\\pard Hello from an RTF memo about "
                        + "caf\\'e9 prices.\\par\\pard Second paragraph.\\par}");
        IngestedDocument memo = ingestor.ingest(rtf);
        assertTrue(memo.text().contains("Hello from an RTF memo about café prices."), memo.text());
        assertTrue(memo.text().contains("Second paragraph."), memo.text());
    }

    @Test
    void odtWithTitleAuthorLanguage() throws IOException {
        IngestedDocument doc = ingestor.ingest(TestDocs.odt(dir.resolve("bees.odt")));
        assertEquals(List.of("Introduction", "Honey"), labels(doc));
        assertTrue(section(doc, "Honey").contains("thirty kilograms"));
        assertEquals("On Bees", doc.title());
        assertEquals("Karl von Frisch", doc.author());
        assertEquals("en", doc.language());
    }

    @Test
    void epubChaptersInSpineOrder() throws IOException {
        IngestedDocument doc = ingestor.ingest(TestDocs.epub(dir.resolve("keeper.epub")));
        assertEquals(List.of("Chapter One", "Chapter Two"), labels(doc));
        assertTrue(doc.text().indexOf("lamp was lit") < doc.text().indexOf("ship came in"));
        assertEquals("The Lighthouse Keeper", doc.title());
        assertEquals("Mary Shelley", doc.author());
        assertEquals("application/epub+zip", doc.mediaType());
    }

    @Test
    void htmlDropsScriptsCollapsesSpacesKeepsTables() throws IOException {
        IngestedDocument doc = ingestor.ingest(TestDocs.html(dir.resolve("recipe.html")));
        assertEquals("Omelette\n\nBeat three eggs with a pinch of salt.\n\nCooking\n\n"
                + "Melt butter in a hot pan & pour in the eggs.\n\nItem | Amount\nEggs | 3", doc.text());
        assertFalse(doc.text().contains("tracking"));
        assertEquals(List.of("Omelette", "Cooking"), labels(doc));
        assertEquals("Saved Recipe Page", doc.title());
        assertEquals("Julia Child", doc.author());
        assertEquals("en", doc.language());
        assertEquals("UTF-8", doc.encoding());
    }

    @Test
    void htmlPreformattedAndNestedTables() throws IOException {
        Path html = Files.writeString(dir.resolve("code.htm"), """
                <html><head><title>t</title></head><body>
                <p>Before.</p>
                <pre>def f(x):
                    return x  *  2</pre>
                <table><tr><td>outer <table><tr><td>in1</td><td>in2</td></tr></table> after</td><td>right</td></tr></table>
                </body></html>
                """);
        String text = ingestor.ingest(html).text();
        assertTrue(text.contains("Before.\n\ndef f(x):\n    return x  *  2"), text);
        assertTrue(text.contains("in1 | in2"), text);
        assertTrue(text.contains("after | right"), text);
    }

    @Test
    void htmlWithAnInternalDtdReadsCleanlyAndResolvesNothing() throws IOException {
        // the DTD names a file and a server; neither may be read, and no piece of the DTD may end up in the text
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        String dtd = """
                [
                  <!ENTITY % pe SYSTEM "http://127.0.0.1:9/evil.dtd">
                  %pe;
                  <!ENTITY xxe SYSTEM "SECRET">
                  <!ENTITY company "ACME > Inc">
                  <!-- a comment ] with > in it -->
                ]>""".replace("SECRET", secret.toUri().toString());
        Path html = Files.writeString(dir.resolve("dtd.html"), "<!DOCTYPE html " + dtd + """

                <html><head><title>Entities</title></head>
                <body><p>Before &xxe; after, by &company; and &amp; sign &copy; 2024, &unknown; stays.</p></body></html>
                """);
        IngestedDocument doc = ingestor.ingest(html);
        assertEquals("Before after, by and & sign © 2024, &unknown; stays.", doc.text());
        assertEquals("Entities", doc.title());

        Path xhtml = Files.writeString(dir.resolve("dtd.xhtml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- saved page -->
                <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"
                  "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd" """ + dtd + """

                <html xmlns="http://www.w3.org/1999/xhtml"><head><title>X</title></head>
                <body><p>Before &xxe; after &amp; done.</p></body></html>
                """);
        IngestedDocument x = ingestor.ingest(xhtml);
        assertEquals("application/xhtml+xml", x.mediaType());
        assertEquals("Before after & done.", x.text());
    }

    @Test
    void htmlPrologWithoutASubsetIsLeftAsItIs() {
        java.util.Set<String> names = new java.util.HashSet<>();
        assertEquals(null, HtmlProlog.withoutSubset("<!DOCTYPE html>\n<html>", names));
        assertEquals(null, HtmlProlog.withoutSubset("<html><p>[x]</p>", names));
        assertEquals(null, HtmlProlog.withoutSubset("<!DOCTYPE html [ <!ENTITY a 'never closed'", names));
        assertEquals("\uFEFF<!DOCTYPE html><html>".replace("\uFEFF", "\u00ef\u00bb\u00bf"),
                HtmlProlog.withoutSubset("\u00ef\u00bb\u00bf<!doctype html [<!ENTITY a \"x\">]><html>", names));
        assertEquals(java.util.Set.of("a"), names);
        assertEquals("a  b &c; &amp;", HtmlProlog.dropReferences("a &a; b &c; &amp;", names));
    }

    @Test
    void markdownSectionsAtHeadings() throws IOException {
        Path md = TestDocs.text(dir.resolve("notes.md"),
                "Intro line.\n\n# Apples\n\nRed and green.\n\n```\n# not a heading\n```\n\n## Pears\r\nSoft.\n",
                StandardCharsets.UTF_8, false);
        IngestedDocument doc = ingestor.ingest(md);
        assertEquals(List.of("Start", "Apples", "Pears"), labels(doc));
        assertTrue(section(doc, "Apples").contains("# not a heading"));
        assertEquals("## Pears\nSoft.", section(doc, "Pears"));
        assertEquals("text/markdown", doc.mediaType());
        assertEquals("Apples", doc.title());
    }

    @Test
    void textEncodingsAreDetected() throws IOException {
        String german = "Grüße aus Köln — eine naïve Geschichte über das Café am Rhein.\nZweite Zeile.";
        record Case(String name, Charset cs, boolean bom, String text, String expected) {
        }
        String windows = "Caf\u00e9 \u201cquoted\u201d \u2013 10 \u20ac for the cr\u00e8me br\u00fbl\u00e9e";
        for (Case c : List.of(
                new Case("le-bom.txt", StandardCharsets.UTF_16LE, true, german, "UTF-16LE"),
                new Case("be-bom.txt", StandardCharsets.UTF_16BE, true, german, "UTF-16BE"),
                new Case("le.txt", StandardCharsets.UTF_16LE, false, german, "UTF-16LE"),
                new Case("utf8.txt", StandardCharsets.UTF_8, false, german, "UTF-8"),
                new Case("utf8-bom.txt", StandardCharsets.UTF_8, true, german, "UTF-8"),
                new Case("cp1252.txt", Charset.forName("windows-1252"), false, windows, "windows-1252"))) {
            IngestedDocument doc = ingestor.ingest(TestDocs.text(dir.resolve(c.name), c.text, c.cs, c.bom));
            assertEquals(c.text, doc.text(), c.name);
            assertEquals(c.expected, doc.encoding(), c.name);
        }
    }

    @Test
    void formFeedsInPlainTextArePages() throws IOException {
        Path txt = TestDocs.text(dir.resolve("printout.txt"), "first page\fsecond page\n\fthird", StandardCharsets.UTF_8,
                false);
        IngestedDocument doc = ingestor.ingest(txt);
        assertEquals(Unit.PAGE, doc.unit());
        assertEquals(List.of("1", "2", "3"), labels(doc));
        assertEquals("third", section(doc, "3"));
    }

    @Test
    void languageGuessedFromTextWhenMetadataIsSilent() throws IOException {
        Path txt = TestDocs.text(dir.resolve("de.txt"), "Der Hund läuft über die Wiese und die Katze schläft auf dem "
                + "Sofa. Es ist nicht kalt, und die Sonne scheint auf das Haus mit dem roten Dach.",
                StandardCharsets.UTF_8, false);
        assertEquals("de", ingestor.ingest(txt).language());
    }

    @Test
    void emptyDocxIsEmpty() throws IOException {
        Path docx = TestDocs.emptyDocx(dir.resolve("nothing.docx"));
        IngestException e = assertThrows(IngestException.class, () -> ingestor.ingest(docx));
        assertEquals(Reason.EMPTY, e.reason());
        Path blankTxt = Files.writeString(dir.resolve("blank.txt"), " \n\n\t\n");
        assertEquals(Reason.EMPTY, assertThrows(IngestException.class, () -> ingestor.ingest(blankTxt)).reason());
    }

    @Test
    void encryptedDocx() throws Exception {
        Path plain = TestDocs.docx(dir.resolve("plain.docx"));
        Path locked = dir.resolve("locked.docx");
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            Encryptor enc = new EncryptionInfo(EncryptionMode.agile).getEncryptor();
            enc.confirmPassword("tulip");
            try (OPCPackage opc = OPCPackage.open(plain.toFile(), PackageAccess.READ_WRITE);
                 OutputStream os = enc.getDataStream(fs)) {
                opc.save(os);
            }
            try (OutputStream out = Files.newOutputStream(locked)) {
                fs.writeFilesystem(out);
            }
        }
        assertEquals(Reason.ENCRYPTED, assertThrows(IngestException.class, () -> ingestor.ingest(locked)).reason());
        assertEquals(Reason.WRONG_PASSWORD, assertThrows(IngestException.class,
                () -> ingestor.ingest(locked, IngestOptions.defaults().withPassword("rose"))).reason());
        IngestedDocument doc = ingestor.ingest(locked, IngestOptions.defaults().withPassword("tulip"));
        assertTrue(doc.text().contains("forty trees"), doc.text());
    }
}
