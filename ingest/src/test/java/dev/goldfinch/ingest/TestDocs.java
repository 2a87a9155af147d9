package dev.goldfinch.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.poi.xslf.usermodel.SlideLayout;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFSlideLayout;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFStyles;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

/** Real documents other than PDF, written with real writers (POI, zip); the PDFs are in {@link dev.goldfinch.ingest.pdf.TestPdfs}. */
final class TestDocs {
    private TestDocs() {
    }

    // ---------------------------------------------------------------- Office (POI)

    static Path docx(Path file) throws IOException {
        try (XWPFDocument doc = new XWPFDocument()) {
            XWPFStyles styles = doc.createStyles();
            addHeadingStyle(styles, "Heading1", "heading 1", 1);
            addHeadingStyle(styles, "Heading2", "heading 2", 2);
            doc.getProperties().getCoreProperties().setTitle("Quarterly Plan");
            doc.getProperties().getCoreProperties().setCreator("Ada Lovelace");
            paragraph(doc, null, "This plan was written before the first heading.");
            paragraph(doc, "Heading1", "Goals");
            paragraph(doc, null, "We want to grow the orchard by forty trees this year.");
            paragraph(doc, "Heading1", "Risks");
            paragraph(doc, null, "Late frost could damage the blossoms in April.");
            paragraph(doc, "Heading2", "Mitigation");
            paragraph(doc, null, "Cover the young trees with fleece on cold nights.");
            try (OutputStream out = Files.newOutputStream(file)) {
                doc.write(out);
            }
        }
        return file;
    }

    static Path emptyDocx(Path file) throws IOException {
        try (XWPFDocument doc = new XWPFDocument()) {
            doc.createParagraph();
            try (OutputStream out = Files.newOutputStream(file)) {
                doc.write(out);
            }
        }
        return file;
    }

    private static void paragraph(XWPFDocument doc, String style, String text) {
        XWPFParagraph p = doc.createParagraph();
        if (style != null) {
            p.setStyle(style);
        }
        p.createRun().setText(text);
    }

    private static void addHeadingStyle(XWPFStyles styles, String id, String name, int level) {
        CTStyle ct = CTStyle.Factory.newInstance();
        ct.setStyleId(id);
        ct.addNewName().setVal(name);
        ct.setType(STStyleType.PARAGRAPH);
        ct.addNewPPr().addNewOutlineLvl().setVal(BigInteger.valueOf(level - 1));
        styles.addStyle(new XWPFStyle(ct, styles));
    }

    static Path pptx(Path file) throws IOException {
        try (XMLSlideShow ppt = new XMLSlideShow()) {
            XSLFSlideLayout layout = ppt.getSlideMasters().getFirst().getLayout(SlideLayout.TITLE_AND_CONTENT);
            String[][] slides = {
                {"Welcome", "Why we are here today"},
                {"Numbers", "Sales grew by twelve percent"},
                {"Next steps", "Hire two gardeners in May"},
            };
            for (String[] s : slides) {
                XSLFSlide slide = ppt.createSlide(layout);
                slide.getPlaceholder(0).setText(s[0]);
                slide.getPlaceholder(1).setText(s[1]);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                ppt.write(out);
            }
        }
        return file;
    }

    static Path xlsx(Path file) throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            XSSFSheet fruit = wb.createSheet("Fruit");
            Object[][] rows = {{"Name", "Count", "Price"}, {"Apple", 12, 0.5}, {"Pear", 7, 0.75}};
            for (int r = 0; r < rows.length; r++) {
                var row = fruit.createRow(r);
                for (int c = 0; c < rows[r].length; c++) {
                    var cell = row.createCell(c);
                    if (rows[r][c] instanceof Number n) {
                        cell.setCellValue(n.doubleValue());
                    } else {
                        cell.setCellValue((String) rows[r][c]);
                    }
                }
            }
            XSSFSheet staff = wb.createSheet("Staff");
            var row = staff.createRow(0);
            row.createCell(0).setCellValue("Grace");
            row.createCell(1).setCellValue("Gardener");
            try (OutputStream out = Files.newOutputStream(file)) {
                wb.write(out);
            }
        }
        return file;
    }

    // ---------------------------------------------------------------- zip-based formats, by hand

    /** Writes a zip; entries named in {@code stored} are stored uncompressed (the ODF/EPUB "mimetype" entry). */
    static Path zip(Path file, List<String[]> entries, String... stored) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (String[] e : entries) {
                byte[] data = e[1].getBytes(StandardCharsets.UTF_8);
                ZipEntry entry = new ZipEntry(e[0]);
                if (List.of(stored).contains(e[0])) {
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(data.length);
                    entry.setCompressedSize(data.length);
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(data);
                zip.closeEntry();
            }
        }
        return file;
    }

    static Path odt(Path file) throws IOException {
        String manifest = """
                <?xml version="1.0" encoding="UTF-8"?>
                <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
                 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
                 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
                 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
                </manifest:manifest>
                """;
        String content = """
                <?xml version="1.0" encoding="UTF-8"?>
                <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
                  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
                 <office:body><office:text>
                  <text:h text:outline-level="1">Introduction</text:h>
                  <text:p>Bees visit about a hundred flowers on every trip.</text:p>
                  <text:h text:outline-level="1">Honey</text:h>
                  <text:p>A hive can make thirty kilograms of honey in a good summer.</text:p>
                 </office:text></office:body>
                </office:document-content>
                """;
        String meta = """
                <?xml version="1.0" encoding="UTF-8"?>
                <office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
                  xmlns:dc="http://purl.org/dc/elements/1.1/"
                  xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.2">
                 <office:meta>
                  <dc:title>On Bees</dc:title>
                  <meta:initial-creator>Karl von Frisch</meta:initial-creator>
                  <dc:creator>Karl von Frisch</dc:creator>
                  <dc:language>en-GB</dc:language>
                 </office:meta>
                </office:document-meta>
                """;
        return zip(file, List.of(
                new String[] {"mimetype", "application/vnd.oasis.opendocument.text"},
                new String[] {"META-INF/manifest.xml", manifest},
                new String[] {"content.xml", content},
                new String[] {"meta.xml", meta}), "mimetype");
    }

    static Path epub(Path file) throws IOException {
        String container = """
                <?xml version="1.0" encoding="UTF-8"?>
                <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
                 <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
                </container>
                """;
        String opf = """
                <?xml version="1.0" encoding="UTF-8"?>
                <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
                 <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
                  <dc:identifier id="id">urn:uuid:12345678-1234-1234-1234-123456789012</dc:identifier>
                  <dc:title>The Lighthouse Keeper</dc:title>
                  <dc:creator>Mary Shelley</dc:creator>
                  <dc:language>en</dc:language>
                 </metadata>
                 <manifest>
                  <item id="c1" href="chapter1.xhtml" media-type="application/xhtml+xml"/>
                  <item id="c2" href="chapter2.xhtml" media-type="application/xhtml+xml"/>
                 </manifest>
                 <spine><itemref idref="c1"/><itemref idref="c2"/></spine>
                </package>
                """;
        String c1 = chapter("Chapter One", "The lamp was lit at dusk by the old keeper.");
        String c2 = chapter("Chapter Two", "A ship came in from the fog before dawn.");
        return zip(file, List.of(
                new String[] {"mimetype", "application/epub+zip"},
                new String[] {"META-INF/container.xml", container},
                new String[] {"OEBPS/content.opf", opf},
                new String[] {"OEBPS/chapter1.xhtml", c1},
                new String[] {"OEBPS/chapter2.xhtml", c2}), "mimetype");
    }

    private static String chapter(String title, String text) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <html xmlns="http://www.w3.org/1999/xhtml"><head><title>%s</title></head>
                <body><h1>%s</h1><p>%s</p></body></html>
                """.formatted(title, title, text);
    }

    static Path html(Path file) throws IOException {
        String html = """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <title>Saved Recipe Page</title>
                <meta name="author" content="Julia Child">
                <style>body { color: red; }</style>
                <script>var tracking = "do not read me";</script>
                </head><body>
                <h1>Omelette</h1>
                <p>Beat three   eggs with
                   a pinch of salt.</p>
                <h2>Cooking</h2>
                <p>Melt butter in a hot pan &amp; pour in the eggs.</p>
                <table><tr><th>Item</th><th>Amount</th></tr><tr><td>Eggs</td><td>3</td></tr></table>
                </body></html>
                """;
        Files.writeString(file, html);
        return file;
    }

    static Path text(Path file, String text, Charset charset, boolean bom) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (bom) {
            out.write(charset == StandardCharsets.UTF_16LE ? new byte[] {(byte) 0xff, (byte) 0xfe}
                    : charset == StandardCharsets.UTF_16BE ? new byte[] {(byte) 0xfe, (byte) 0xff}
                    : new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
        }
        out.write(text.getBytes(charset));
        Files.write(file, out.toByteArray());
        return file;
    }

    /** A zip holding one entry of {@code bytes} zeros: kilobytes on disk, a lot when expanded. */
    static Path zipBomb(Path file, String entryName, long bytes) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.setLevel(9);
            zip.putNextEntry(new ZipEntry(entryName));
            byte[] zeros = new byte[1 << 20];
            for (long done = 0; done < bytes; done += zeros.length) {
                zip.write(zeros, 0, (int) Math.min(zeros.length, bytes - done));
            }
            zip.closeEntry();
        }
        return file;
    }

    /** A zip inside a zip inside a zip... {@code depth} levels, with a small text file at the bottom. */
    static Path nestedZip(Path file, int depth) throws IOException {
        byte[] inner = "deep inside".getBytes(StandardCharsets.UTF_8);
        String name = "note.txt";
        for (int level = 0; level < depth; level++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(inner);
                zip.closeEntry();
            }
            inner = bytes.toByteArray();
            name = "level" + level + ".zip";
        }
        Files.write(file, inner);
        return file;
    }
}
